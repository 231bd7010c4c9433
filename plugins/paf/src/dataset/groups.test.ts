import { writeFileSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { Dataset, formatRegion, type Region } from '@genolake/core';
import { hasSamtools, samtools, tmpDir } from '../testing/samtools.js';
import { memoryDataset, query } from '../testing/dataset.js';
import { PafDataset } from './reader.js';

const EX1 = '/usr/share/doc/python-pysam/tests/pysam_data/ex1.bam.gz';

async function decoded(ds: Awaited<ReturnType<typeof memoryDataset>>, region: Region): Promise<number> {
  const pd = await PafDataset.open(ds.store);
  let n = 0;
  for await (const s of pd.scan(ds.store, ds.host, { regions: [region] })) n += s.batch.length;
  return n;
}

describe.skipIf(!hasSamtools && !process.env.CI)('paf record groups: region queries read overlapping groups only', () => {
  let bam: string;
  let grouped: Awaited<ReturnType<typeof memoryDataset>>;
  let plain: Awaited<ReturnType<typeof memoryDataset>>;
  beforeAll(async () => {
    bam = join(tmpDir(), 'ex1-groups.bam');
    writeFileSync(bam, gunzipSync(readFileSync(EX1)));
    samtools(['index', bam]);
    grouped = await memoryDataset(bam, { groupRecords: 64 });
    plain = await memoryDataset(bam, { groupRecords: 1 << 30, groupBytes: 1 << 30 });
  });

  it('writes groups with spans into the chunk headers and their count into the manifest', async () => {
    const chunks = (await Dataset.open(grouped.store)).manifest.chunks;
    expect(chunks.every((c) => c.records <= 64 || (c.layout?.groups ?? 1) === Math.ceil(c.records / 64))).toBe(true);
    expect(chunks.some((c) => (c.layout?.groups ?? 1) > 10)).toBe(true);
    expect((await Dataset.open(plain.store)).manifest.chunks.every((c) => c.layout?.groups === undefined)).toBe(true);
  });

  it('answers regions as samtools view does, reading fewer bytes than whole streams', async () => {
    let seed = 9;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const regions: Region[] = [];
    for (let i = 0; i < 60; i++) {
      const contig = i % 2 ? 'chr1' : 'chr2';
      const start = Math.floor(rand() * 1500);
      regions.push({ contig, start, end: start + 1 + Math.floor(rand() * (i % 3 ? 60 : 600)) });
    }
    let fewer = 0;
    for (const r of regions) {
      const want = samtools(['view', bam, formatRegion(r)]).toString('latin1');
      const got = await query(grouped.host, grouped.store, { regions: [r] });
      expect(got.text, formatRegion(r)).toBe(want);
      // Records decoded: the groups' records (grouped) vs the whole chunks' (plain).
      if ((await decoded(grouped, r)) < (await decoded(plain, r))) fewer++;
    }
    expect(fewer).toBeGreaterThan(50);
    // Several regions in one pass (-M) and whole-dataset export are unchanged by groups.
    const merged = await query(grouped.host, grouped.store, { regions: regions.slice(0, 5), options: { M: 'true' } });
    expect(merged.text).toBe((await query(plain.host, plain.store, { regions: regions.slice(0, 5), options: { M: 'true' } })).text);
    expect((await query(grouped.host, grouped.store, {})).text).toBe((await query(plain.host, plain.store, {})).text);
  }, 120_000);
});
