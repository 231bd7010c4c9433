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
      const exp = await run(['export', ds, '-', '-F', 'vcf']);
      expect(exp.err).toBe('');
      expect(exp.code).toBe(0);
      // captureIO decodes stdout as UTF-8, so compare with bcftools' output decoded the same way
      expect(exp.out).toBe(Buffer.from(bcftoolsView([bcf])!, 'latin1').toString('utf8'));
      // to files: plain VCF, and BGZF VCF with a tabix and a CSI index built as it is written
      const want = bcftoolsView([bcf])!;
      const plain = join(tmp, `out${i}.vcf`);
      expect(await run(['export', ds, plain])).toMatchObject({ code: 0, err: '' });
      expect(bcftoolsView([plain])).toBe(want);
      for (const kind of ['tbi', 'csi']) {
        const gz = join(tmp, `out${i}-${kind}.vcf.gz`);
        expect(await run(['export', ds, gz, '-O', `index=${gz}.${kind}`])).toMatchObject({ code: 0, err: '' });
        expect(bcftoolsView([gz])).toBe(want);
        // htslib reads records through our index: every contig's region query, and a few
        // windows, equal bcftools view -r on the source (which has htslib's own index)
        const contigs = spawnSync('/usr/bin/tabix', ['-l', gz]).stdout.toString().trim().split('\n').filter(Boolean);
        expect(contigs.length, `${label}: tabix -l through our ${kind}`).toBeGreaterThan(0);
        const src = join(tmp, `src${i}-${kind}.vcf.gz`);
        spawnSync(BCFTOOLS, ['view', '--no-version', '-Oz', '-o', src, bcf]);
        spawnSync('/usr/bin/tabix', ['-f', '-p', 'vcf', src]);
        for (const c of contigs) {
          for (const reg of [c, `${c}:1-100000`, `${c}:100001-300000`]) {
            const a = spawnSync(BCFTOOLS, ['view', '-H', '-r', reg, gz]);
            expect(a.stderr.toString(), `${label} ${kind} ${reg}`).toBe('');
            expect(a.stdout.toString('latin1'), `${label} ${kind} ${reg}`).toBe(spawnSync(BCFTOOLS, ['view', '-H', '-r', reg, src]).stdout.toString('latin1'));
          }
        }
      }
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

  it('-O index= needs vcf.gz output and a path', async () => {
    const vcf = join(tmp, 'idx.vcf');
    writeFileSync(vcf, synthVcf({ records: 30, samples: 2, seed: 5 }));
    const ds = join(tmp, 'idx-ds');
    expect((await run(['convert', vcf, ds])).code).toBe(0);
    const tsv = await run(['export', ds, join(tmp, 'x.tsv'), '-O', 'index=x.tbi']);
    expect(tsv.code).toBe(2);
    expect(tsv.err).toMatch(/only with BGZF VCF output \(vcf.gz\), not tsv/);
    const bare = await run(['export', ds, join(tmp, 'y.vcf.gz'), '-O', 'index=true']);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/-O index= takes the path/);
  });
});
