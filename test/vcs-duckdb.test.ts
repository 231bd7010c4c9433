// DuckDB reads a vcs dataset's Parquet files directly, Hive partitions included.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsStore } from '@genolake/core';
import { memoryDataset } from '../plugins/vcs/src/testing/dataset.js';
import { synthVcf } from '../plugins/vcs/src/testing/synth.js';

describe('vcs datasets in DuckDB', () => {
  it('read_parquet with hive_partitioning sees every record and the same values', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = mkdtempSync(join(tmpdir(), 'vcs-duck-'));
    const vcf = join(dir, 'in.vcf');
    writeFileSync(vcf, synthVcf({ records: 900, samples: 30, seed: 3 }));
    const root = join(dir, 'variants.vcs');
    const store = new FsStore(root);
    const { result } = await memoryDataset(vcf, { chunkRecords: 200, rowGroupSize: 50, sampleBatch: 8 }, store as never);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const sites = `read_parquet('${root}/*/*.sites.parquet', hive_partitioning = true, hive_types = {'contig': VARCHAR})`;
    const r = (await con.runAndReadAll(`select count(*)::INT n, sum(POS)::BIGINT s, count(distinct contig)::INT c, bool_and(contig = CHROM) same from ${sites}`)).getRowObjectsJS()[0]!;
    expect(r.n).toBe(result.records);
    expect(r.c).toBe(3);
    expect(r.same).toBe(true);
    const lines = synthVcf({ records: 900, samples: 30, seed: 3 }).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(Number(r.s)).toBe(lines.reduce((a, l) => a + Number(l.split('\t')[1]), 0));
    const dp = (await con.runAndReadAll(`select sum(INFO_DP)::BIGINT d from ${sites}`)).getRowObjectsJS()[0]!;
    expect(Number(dp.d)).toBe(lines.reduce((a, l) => a + Number(/DP=(\d+)/.exec(l)![1]), 0));
    const gt = (await con.runAndReadAll(`select count(*)::INT n from read_parquet('${root}/*/*.samples-00000.parquet', hive_partitioning = true, hive_types = {'contig': VARCHAR}) where "S00003:GT" is not null`)).getRowObjectsJS()[0]!;
    expect(gt.n).toBe(result.records);
  });
});
