// `genolake query` on a vcs dataset end to end: --where, -F tsv --fields, --explain, a bad
// expression (one line, exit code 2, the column named).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { bcftoolsView, hasBcftools } from '../plugins/vcs/src/testing/bcftools.js';
import { synthVcf } from '../plugins/vcs/src/testing/synth.js';

const tmp = mkdtempSync(join(tmpdir(), 'vcs-cli-'));
const vcf = join(tmp, 'in.vcf'), ds = join(tmp, 'in.vcs');
let host: DefaultHost;

async function run(argv: string[]) {
  const io = captureIO({});
  const code = await main(argv, io, { cwd: tmp, env: { GENOLAKE_PLUGINS: join(process.cwd(), 'plugins/vcs') }, host });
  return { code, out: io.out(), err: io.err() };
}

describe.skipIf(!hasBcftools)('genolake query on vcs', () => {
  beforeAll(async () => {
    host = await createHost();
    writeFileSync(vcf, synthVcf({ records: 300, samples: 6, seed: 4 }));
    const c = await run(['convert', vcf, ds, '-O', 'rowGroupSize=25', '-O', 'chunkRecords=60']);
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
  });

  it('info counts each variant once (sample batches hold more columns of the same rows)', async () => {
    const r = await run(['info', ds, '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out) as { records: number; chunks: number };
    expect(info.records).toBe(300);
    expect(info.chunks).toBeGreaterThan(5); // sites files and their sample batches
  });

  it('--where equals bcftools view -i', async () => {
    const r = await run(['query', ds, 'chr1', '--where', 'QUAL >= 300 && FILTER == "PASS"']);
    expect(r.code).toBe(0);
    // the source is not indexed, so bcftools takes the region as a CHROM test
    expect(r.out).toBe(bcftoolsView(['-i', 'CHROM="chr1" && QUAL>=300 && FILTER="PASS"', vcf]));
  });

  it('-F tsv --fields', async () => {
    const r = await run(['query', ds, '--where', 'INFO/DB && POS < 20000', '-F', 'tsv', '--fields', 'CHROM,POS,INFO/DP']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('#CHROM\tPOS\tINFO/DP');
    const want = bcftoolsView(['-H', '-i', 'INFO/DB=1 && POS<20000', vcf])!.trimEnd().split('\n').map((l) => { const c = l.split('\t'); return `${c[0]}\t${c[1]}\t${/DP=(\d+)/.exec(c[7]!)![1]}`; });
    expect(lines.slice(1)).toEqual(want);
  });

  it('--explain prints the plan to stderr', async () => {
    const r = await run(['query', ds, 'chr2:1-50000', '--where', 'QUAL > 900', '--explain']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^plan: \d+ objects, \d+ requests, \d+ bytes/);
    expect(r.err).toMatch(/note: parts: 1 of \d+ kept/);
    expect(r.err).toMatch(/contig=chr2\/part-\S+\.sites\.parquet bytes=\d+-\d+/);
  });

  it('a bad expression is one line naming the column', async () => {
    const r = await run(['query', ds, '--where', 'QUAL > 30 && )']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("genolake: --where: unexpected ')' at 14: QUAL > 30 && )\n");
  });

  it('an unknown sample is a usage error naming it (exit 2, one line)', async () => {
    const r = await run(['query', ds, '--samples', 'S00001,NOPE']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^genolake: sample "NOPE" is not in the dataset \(it has \d+ samples\)\n$/);
  });
});
