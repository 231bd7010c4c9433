import { copyFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { createHost } from '@genolake/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bgzfTabix from '../plugin.js';
import { HAVE_BGZIP, HAVE_TABIX, run, tempDir } from '../testing/htslib.js';

const T = '/usr/share/htslib-test/test/tabix';

async function tabix(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const host = await createHost();
  await host.use(bgzfTabix());
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
  const code = await host.getCommand('tabix')!.run(argv, { host, io: { stdout, stderr, stdin: Readable.from([]), interactive: false } });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString() };
}

/** Seeded generator of sorted VCF/BED/GFF text with records of varied lengths. */
function makeFile(kind: 'vcf' | 'bed' | 'gff', seed: number, n: number): string {
  let x = seed;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % m;
  const lines: string[] = kind === 'vcf' ? ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO'] : ['# header'];
  for (const chr of ['chr1', 'chr2', 'chrX']) {
    let pos = 1 + rnd(1000);
    for (let i = 0; i < n; i++) {
      pos += rnd(3) === 0 ? 0 : rnd(4000);
      const len = rnd(10) === 0 ? rnd(200_000) : 1 + rnd(300);
      if (kind === 'vcf') {
        const info = rnd(8) === 0 ? `SVTYPE=DEL;END=${pos + len}` : `DP=${rnd(100)}`;
        lines.push(`${chr}\t${pos}\t.\t${'ACGT'.slice(0, 1 + rnd(4))}\tA\t.\tPASS\t${info}`);
      } else if (kind === 'bed') lines.push(`${chr}\t${pos - 1}\t${pos - 1 + len}\tf${i}`);
      else lines.push(`${chr}\tsrc\tgene\t${pos}\t${pos + len - 1}\t.\t+\t.\tID=g${i}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function randomRegions(seed: number, count: number): string[] {
  let x = seed;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % m;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const chr = ['chr1', 'chr2', 'chrX', 'chrUn'][rnd(4)]!;
    const beg = 1 + rnd(3_000_000);
    out.push(rnd(10) === 0 ? `${chr}:${beg}` : `${chr}:${beg}-${beg + rnd(rnd(2) ? 500 : 300_000)}`);
  }
  return out;
}

describe.skipIf(!HAVE_BGZIP || !HAVE_TABIX)('genolake tabix agrees with htslib tabix', () => {
  const tmp = tempDir('genolake-tabix-');
  afterAll(tmp.cleanup);
  const files: Record<string, string> = {};

  beforeAll(() => {
    for (const [kind, n] of [['vcf', 1500], ['bed', 1500], ['gff', 1500]] as const) {
      const ours = tmp.path(`ours.${kind}`);
      writeFileSync(ours, makeFile(kind, 7, n));
      run('bgzip', ['-f', ours]);
      const theirs = tmp.path(`theirs.${kind}.gz`);
      copyFileSync(`${ours}.gz`, theirs);
      expect(run('tabix', ['-p', kind, theirs]).code).toBe(0);
      copyFileSync(`${ours}.gz`, tmp.path(`theirs-csi.${kind}.gz`));
      expect(run('tabix', ['-C', '-p', kind, tmp.path(`theirs-csi.${kind}.gz`)]).code).toBe(0);
      files[kind] = `${ours}.gz`;
    }
  });

  for (const kind of ['vcf', 'bed', 'gff'] as const) {
    for (const csi of [false, true]) {
      it(`${kind} ${csi ? 'csi' : 'tbi'}: 150 random regions, both indexes, both tools`, async () => {
        const ours = tmp.path(`o-${csi}.${kind}.gz`);
        copyFileSync(files[kind]!, ours);
        const built = await tabix(csi ? ['-C', '-p', kind, ours] : ['-p', kind, ours]);
        expect(built.stderr).toBe('');
        expect(built.code).toBe(0);
        const theirs = tmp.path(`${csi ? 'theirs-csi' : 'theirs'}.${kind}.gz`);
        const regions = randomRegions(kind.length * 31 + (csi ? 1 : 0), 150);
        const expected = run('tabix', [theirs, ...regions]).stdout.toString('latin1');
        expect(expected.length).toBeGreaterThan(1000);
        // htslib answering with our index.
        expect(run('tabix', [ours, ...regions]).stdout.toString('latin1')).toBe(expected);
        // ours answering with our index and with htslib's.
        expect((await tabix([ours, ...regions])).stdout).toBe(expected);
        expect((await tabix([theirs, ...regions])).stdout).toBe(expected);
      });
    }
  }

  it('lists names, prints headers, reads -R like htslib', async () => {
    const f = tmp.path('theirs.vcf.gz');
    expect((await tabix(['-l', f])).stdout).toBe(run('tabix', ['-l', f]).stdout.toString());
    expect((await tabix(['-H', f])).stdout).toBe(run('tabix', ['-H', f]).stdout.toString());
    expect((await tabix(['-h', f, 'chr2:100000-200000'])).stdout).toBe(run('tabix', ['-h', f, 'chr2:100000-200000']).stdout.toString());
    writeFileSync(tmp.path('r.bed'), 'chr2\t500000\t900000\nchr1\t200000\t300000\nchr1\t100000\t250000\n');
    const expected = run('tabix', ['-R', tmp.path('r.bed'), f]).stdout.toString();
    expect(expected.length).toBeGreaterThan(100);
    expect((await tabix(['-R', tmp.path('r.bed'), f])).stdout).toBe(expected);
    writeFileSync(tmp.path('r.txt'), 'chr1\t300000\t400000\nchr1\t250000\n');
    expect((await tabix(['-R', tmp.path('r.txt'), f])).stdout).toBe(run('tabix', ['-R', tmp.path('r.txt'), f]).stdout.toString());
  });

  it('answers the htslib test-suite queries with the shipped files', async () => {
    for (const [file, preset, region] of [['vcf_file.vcf', 'vcf', '1:3000151-3000151'], ['bed_file.bed', 'bed', 'Y:100200-100200'], ['gff_file.gff', 'gff', 'X:2934832-2935190']] as const) {
      const gz = tmp.path(`${file}.gz`);
      writeFileSync(gz, run('bgzip', ['-c', `${T}/${file}`]).stdout);
      expect((await tabix(['-f', '-p', preset, gz])).code).toBe(0);
      expect((await tabix([gz, region])).stdout).toBe(run('tabix', [gz, region]).stdout.toString());
    }
  });

  it('prints nothing and exits 0 for an unknown contig, like tabix', async () => {
    const r = await tabix([tmp.path('theirs.bed.gz'), 'nope:1-100']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('rejects unsorted input naming the line', async () => {
    const f = tmp.path('unsorted.bed');
    writeFileSync(f, 'c1\t100\t200\nc1\t300\t400\nc1\t50\t60\n');
    run('bgzip', ['-f', f]);
    const r = await tabix(['-p', 'bed', `${f}.gz`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tabix: ${f}.gz: line 3: unsorted positions on sequence "c1": 51 after 301 (sort the input first)\n`);
  });
});
