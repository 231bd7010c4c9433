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
    const idp = (await con.runAndReadAll(`select sum(INFO_DP)::BIGINT d from ${sites}`)).getRowObjectsJS()[0]!;
    expect(Number(idp.d)).toBe(lines.reduce((a, l) => a + Number(/DP=(\d+)/.exec(l)![1]), 0));
    // GT matrices in SQL (docs/formats/vcs.md): byte k of a BYTE_ARRAY cell, then allele j of
    // sample s of the column's group: (byte(1 + s·P + j) >> 1) - 1 with P = byte 0 (-1: '.')
    await con.run(`create macro vcs_byte(b, k) as ('0x' || substr(hex(b), 2 * k + 1, 2))::INTEGER`);
    await con.run(`create macro vcs_allele(b, s, j) as (vcs_byte(b, 1 + s * vcs_byte(b, 0) + j) >> 1) - 1`);
    const samples = `read_parquet('${root}/*/*.samples-00000.parquet', hive_partitioning = true, hive_types = {'contig': VARCHAR})`;
    const gt = (await con.runAndReadAll(`select count(*)::INT n, sum(vcs_allele("GT.0", 2, 0) + vcs_allele("GT.0", 2, 1))::INT a from ${samples} where vcs_byte("GT.0", 0) = 2`)).getRowObjectsJS()[0]!;
    // S00003 is the third sample of batch 0; it is diploid everywhere in the synthetic VCF
    const want = lines.map((l) => l.split('\t')[11]!.split(':')[0]!.split(/[/|]/).reduce((a, x) => a + (x === '.' ? -1 : Number(x)), 0));
    expect(gt.n).toBe(result.records);
    expect(gt.a).toBe(want.reduce((a, b) => a + b, 0));
    const dp = (await con.runAndReadAll(`select count(*)::INT n from ${samples} where "DP.0" is not null`)).getRowObjectsJS()[0]!;
    expect(dp.n).toBe(result.records);
  });
});
