// `genolake convert x.bcf ds` then `genolake export ds` equals `bcftools view` of the BCF, and a
// broken BCF fails convert with the record number and byte offset.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { BCFTOOLS, bcftoolsView, hasBcftools } from '../plugins/vcs/src/testing/bcftools.js';
import { synthVcf } from '../plugins/vcs/src/testing/synth.js';

const tmp = mkdtempSync(join(tmpdir(), 'vcs-bcf-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let host: DefaultHost;

async function run(argv: string[]) {
  const io = captureIO({});
  const code = await main(argv, io, { cwd: tmp, env: { GENOLAKE_PLUGINS: join(process.cwd(), 'plugins/vcs') }, host });
  return { code, out: io.out(), err: io.err() };
}

function bcfOf(vcf: string, out: string): string {
  const r = spawnSync(BCFTOOLS, ['view', '--no-version', '-Ob', '-o', out, vcf]);
  if (r.status !== 0) throw new Error(`bcftools refused ${vcf}: ${r.stderr.toString()}`);
  return out;
}

const SOURCES: [string, () => string][] = [
  ['a synthetic cohort', () => {
    const vcf = join(tmp, 'synth.vcf');
    writeFileSync(vcf, synthVcf({ records: 400, samples: 7, seed: 11 }));
    return bcfOf(vcf, join(tmp, 'synth.bcf'));
  }],
  ['htslib-test vcf_file.bcf', () => '/usr/share/htslib-test/test/tabix/vcf_file.bcf'],
  ['htslib-test formatcols.vcf', () => bcfOf('/usr/share/htslib-test/test/formatcols.vcf', join(tmp, 'formatcols.bcf'))],
  ['htslib-test formatmissing.vcf', () => bcfOf('/usr/share/htslib-test/test/formatmissing.vcf', join(tmp, 'formatmissing.bcf'))],
];

describe.skipIf(!hasBcftools)('genolake convert x.bcf, then export, equals bcftools view', () => {
  beforeAll(async () => {
    host = await createHost();
  });

  SOURCES.forEach(([label, make], i) => {
    it(label, async () => {
      const bcf = make();
      const ds = join(tmp, `ds${i}`);
      const conv = await run(['convert', bcf, ds, '-O', 'chunkRecords=150', '-O', 'rowGroupSize=40']);
      expect(conv.err).toBe('');
      expect(conv.code).toBe(0);
      // to stdout: exporting a vcs dataset to a file currently ends the file sink twice
      // (vcs Writer.end and the CLI's withOutput), which the fs sink refuses
      const exp = await run(['export', ds, '-', '-F', 'vcf']);
      expect(exp.err).toBe('');
      expect(exp.code).toBe(0);
      // captureIO decodes stdout as UTF-8, so compare with bcftools' output decoded the same way
      expect(exp.out).toBe(Buffer.from(bcftoolsView([bcf])!, 'latin1').toString('utf8'));
    });
  });

  it('a truncated BCF fails convert with the record number and byte offset', async () => {
    const vcf = join(tmp, 'cut.vcf');
    writeFileSync(vcf, synthVcf({ records: 50, samples: 2, seed: 3 }));
    const raw = spawnSync(BCFTOOLS, ['view', '--no-version', '-Ou', vcf]).stdout as Buffer;
    const cut = join(tmp, 'cut.bcf');
    writeFileSync(cut, raw.subarray(0, raw.length - 20));
    const r = await run(['convert', cut, join(tmp, 'cut-ds')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^genolake: .*cut\.bcf: BCF record \d+ at byte offset \d+ of the decompressed data is truncated: it takes \d+ bytes \(l_shared=\d+, l_indiv=\d+\), the input ends after \d+\n$/);
  });
});
