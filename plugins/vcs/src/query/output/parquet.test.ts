import { describe, expect, it } from 'vitest';
import { createHost } from '@genolake/core';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { decompressors } from '../../dataset/parquet.js';
import type { OutColumn } from '../project.js';
import { parquetWriter } from './parquet.js';
import type { Cell } from './table-writer.js';

const col = (name: string, type: OutColumn['type']): OutColumn => ({ name, type, field: { scope: 'site', column: name } as OutColumn['field'] });

describe('parquet output (streamed row groups)', () => {
  it('writes each row group to the sink as it fills; the file reads back as written, nulls kept', async () => {
    const host = await createHost();
    const parts: Uint8Array[] = [];
    const sink = { name: 'mem', async write(b: Uint8Array | string) { parts.push(typeof b === 'string' ? Buffer.from(b) : b); }, async end() {} };
    const columns = [col('POS', 'int'), col('QUAL', 'float'), col('ID', 'string'), col('DB', 'bool')];
    // 40 cells a group over 4 columns: 10 rows a group
    const w = parquetWriter(host, sink, columns, 40);
    const rows: Cell[][] = [];
    for (let b = 0; b < 7; b++) {
      const n = 1 + ((b * 5) % 9);
      const batch: Cell[][] = columns.map(() => []);
      for (let i = 0; i < n; i++) {
        const r = rows.length;
        const row: Cell[] = [r * 3, r % 4 === 0 ? null : r / 2, r % 5 === 0 ? null : `rs${r}`, r % 2 === 0];
        rows.push(row);
        row.forEach((v, k) => batch[k]!.push(v));
      }
      const before = parts.length;
      await w.write(batch, n);
      // a batch that fills a group sends that group's bytes before end()
      if (Math.floor(rows.length / 10) > Math.floor((rows.length - n) / 10)) expect(parts.length, `batch ${b}`).toBeGreaterThan(before);
    }
    await w.end();
    expect(parts.length).toBeGreaterThan(2);
    const file = Buffer.concat(parts);
    const ab = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const meta = parquetMetadata(ab);
    expect(meta.row_groups.length).toBe(Math.ceil(rows.length / 10));
    const back = await parquetReadObjects({ file: ab, compressors: decompressors(host), utf8: true });
    expect(back.map((o) => [Number(o.POS), o.QUAL ?? null, o.ID ?? null, o.DB])).toEqual(rows.map((r) => [r[0], r[1] === null ? null : Math.fround(r[1] as number), r[2], r[3]]));
  });

  it('an empty result is a valid file with no rows', async () => {
    const host = await createHost();
    const parts: Uint8Array[] = [];
    const w = parquetWriter(host, { name: 'mem', async write(b) { parts.push(b as Uint8Array); }, async end() {} }, [col('POS', 'int')]);
    await w.end();
    const file = Buffer.concat(parts);
    const ab = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    expect(Number(parquetMetadata(ab).num_rows)).toBe(0);
    expect(await parquetReadObjects({ file: ab })).toEqual([]);
  });
});
