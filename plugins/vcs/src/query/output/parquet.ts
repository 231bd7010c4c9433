/**
 * Parquet output (hyparquet-writer, zstd): INT32 / FLOAT / BOOLEAN / STRING columns as in the
 * arrow output, streamed: cells are collected for one row group at a time (about 4M cells, so
 * `--samples all` over 1,000 samples makes groups of ~4,000 rows), each group is encoded and its
 * bytes go to the sink before the next is collected; the footer comes at the end. Memory is one
 * group, whatever the result size.
 */
import type { ByteSink, Host } from '@genolake/core';
import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { OutColumn } from '../project.js';
import type { Cell, TableWriter } from './table-writer.js';

/** Cells per row group (rows = this / columns, at least 1). */
const GROUP_CELLS = 4_000_000;
const MAX_GROUP_ROWS = 65_536;

type ColumnType = 'INT32' | 'FLOAT' | 'BOOLEAN' | 'STRING';

export function parquetWriter(host: Host, sink: ByteSink, columns: readonly OutColumn[], groupCells = GROUP_CELLS): TableWriter {
  const types: ColumnType[] = columns.map((c) => (c.type === 'int' ? 'INT32' : c.type === 'float' ? 'FLOAT' : c.type === 'bool' ? 'BOOLEAN' : 'STRING'));
  const columnData = (data: Cell[][]) => columns.map((c, k) => ({ name: c.name, type: types[k]!, data: data[k]!, nullable: c.type !== 'bool' }));
  const groupRows = Math.max(1, Math.min(MAX_GROUP_ROWS, Math.floor(groupCells / Math.max(1, columns.length))));
  const zstd = host.getCodec('zstd');
  const writer = new ByteWriter();
  const pq = new ParquetWriter({
    writer, schema: schemaFromColumnData({ columnData: columnData(columns.map(() => [])) }), codec: 'ZSTD',
    compressors: { ZSTD: (b: Uint8Array) => zstd.encode(b, { type: 'bytes', param: '3' }) as Uint8Array }, statistics: true, createdBy: '@genolake/vcs 0.1.0',
  });
  let data: Cell[][] = columns.map(() => []);
  let rowsHeld = 0;
  /** Bytes the writer holds since the last drain, to the sink (the writer keeps its offset). */
  const drain = async (): Promise<void> => {
    if (writer.index === 0) return;
    const bytes = new Uint8Array(writer.buffer, 0, writer.index).slice();
    writer.index = 0;
    await sink.write(bytes);
  };
  const flushGroup = async (): Promise<void> => {
    if (!rowsHeld) return;
    await pq.write({ columnData: columnData(data), rowGroupSize: rowsHeld });
    data = columns.map(() => []);
    rowsHeld = 0;
    await drain();
  };
  return {
    async write(cells, rows) {
      for (let i = 0; i < rows;) {
        const take = Math.min(rows - i, groupRows - rowsHeld);
        for (let k = 0; k < columns.length; k++) {
          const out = data[k]!, src = cells[k]!;
          for (let j = i; j < i + take; j++) out.push(src[j]!);
        }
        rowsHeld += take;
        i += take;
        if (rowsHeld >= groupRows) await flushGroup();
      }
    },
    async end() {
      await flushGroup();
      pq.finish();
      await drain();
    },
  };
}
