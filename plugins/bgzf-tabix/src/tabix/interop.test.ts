import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { createHost } from '@genolake/core';
import { afterAll, describe, expect, it } from 'vitest';
import bgzfTabix from '../plugin.js';
import { decodeCsi } from '../csi/csi.js';
import { decodeTbi } from './tbi.js';
import { HAVE_BGZIP, HAVE_TABIX, have, run, tempDir } from '../testing/htslib.js';

const HTS = '/usr/share/htslib-test/test';
const HAVE_SAMTOOLS = have('samtools');

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

function regions(seed: number, count: number, contigs: { name: string; len: number }[]): string[] {
  let x = seed;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % m;
  return Array.from({ length: count }, () => {
    const c = contigs[rnd(contigs.length)]!;
    const beg = 1 + rnd(c.len);
    return rnd(8) === 0 ? c.name : `${c.name}:${beg}-${beg + rnd(rnd(2) ? 200 : 20_000)}`;
  });
}

/**
 * An index's content in a canonical order. htslib writes each reference's bins in its hash
 * table's order (the metadata pseudo-bin lands anywhere); we write them sorted, so the bytes
 * match only when that order happens to be sorted. Everything else must match exactly.
 */
async function canonical(path: string): Promise<string> {
  const bytes = readFileSync(path);
  const idx = path.endsWith('.csi') ? await decodeCsi(bytes, path) : await decodeTbi(bytes, path);
  return JSON.stringify({
    format: idx.format, minShift: idx.minShift, depth: idx.depth, config: idx.config, names: idx.names, unplaced: idx.unplaced,
    refs: idx.refs.map((r) => ({ bins: [...r.bins].sort((a, b) => a[0] - b[0]), loffsets: [...r.loffsets].sort((a, b) => a[0] - b[0]), linear: r.linear, meta: r.meta })),
  });
}

/**
 * Indexes `gz` with both tools (same options) and checks: random regions give htslib's answer
 * with either index through either tool, and the uncompressed index bytes are identical.
 */
async function bothWays(tmp: ReturnType<typeof tempDir>, gz: string, opts: string[], regs: string[], csi: boolean): Promise<boolean> {
  const ours = tmp.path(`ours-${csi}-${gz.split('/').pop()}`);
  const theirs = tmp.path(`theirs-${csi}-${gz.split('/').pop()}`);
  copyFileSync(gz, ours);
  copyFileSync(gz, theirs);
  const flags = csi ? ['-C', ...opts] : opts;
  const built = await tabix([...flags, ours]);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  expect(run('tabix', [...flags, theirs]).code).toBe(0);
  const expected = run('tabix', [theirs, ...regs]).stdout.toString('latin1');
  expect(expected.length).toBeGreaterThan(500);
  expect(run('tabix', [ours, ...regs]).stdout.toString('latin1')).toBe(expected);
  expect((await tabix([ours, ...regs])).stdout).toBe(expected);
  expect((await tabix([theirs, ...regs])).stdout).toBe(expected);
  const ext = csi ? '.csi' : '.tbi';
  expect(await canonical(ours + ext)).toBe(await canonical(theirs + ext));
  return Buffer.compare(gunzipSync(readFileSync(ours + ext)), gunzipSync(readFileSync(theirs + ext))) === 0;
}

describe.skipIf(!HAVE_BGZIP || !HAVE_TABIX)('tabix interop beyond the presets tested in query.test.ts', () => {
  const tmp = tempDir('genolake-tabix-interop-');
  afterAll(tmp.cleanup);

  it.skipIf(!HAVE_SAMTOOLS)('SAM preset (samtools sort -O sam | bgzip): regions both ways, identical .tbi and .csi', async () => {
    const sam = tmp.path('ce.sam');
    const sorted = run('samtools', ['sort', '-O', 'sam', `${HTS}/ce#1000.sam`]);
    expect(sorted.code, sorted.stderr).toBe(0);
    writeFileSync(sam, sorted.stdout);
    writeFileSync(`${sam}.gz`, run('bgzip', ['-c', sam]).stdout);
    const contigs = [...sorted.stdout.toString().matchAll(/^@SQ\tSN:(\S+)\tLN:(\d+)/gm)].map((m) => ({ name: m[1]!, len: Math.min(Number(m[2]), 1_000_000) }));
    const regs = regions(5, 150, contigs.filter((c) => c.name === 'CHROMOSOME_I' || c.len > 4000));
    // Here htslib's bin order is sorted too: the uncompressed bytes are identical.
    for (const csi of [false, true]) expect(await bothWays(tmp, `${sam}.gz`, ['-p', 'sam'], regs, csi), csi ? 'csi bytes' : 'tbi bytes').toBe(true);
  });

  it('custom -s -b -e -S -c -0 columns on a generated TSV: both ways, identical indexes', async () => {
    let x = 99;
    const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % m;
    const lines = ['id\tchrom\tscore\tstart\tend', '%comment line'];
    for (const chr of ['c1', 'c2', 'c10']) {
      let pos = rnd(1000);
      for (let i = 0; i < 2000; i++) {
        pos += rnd(3) === 0 ? 0 : rnd(2000);
        const len = rnd(20) === 0 ? rnd(100_000) : 1 + rnd(500);
        lines.push(`r${i}\t${chr}\t${rnd(100)}\t${pos}\t${pos + len}`);
      }
    }
    const tsv = tmp.path('custom.tsv');
    writeFileSync(tsv, `${lines.join('\n')}\n`);
    writeFileSync(`${tsv}.gz`, run('bgzip', ['-c', tsv]).stdout);
    const regs = regions(17, 150, ['c1', 'c2', 'c10'].map((name) => ({ name, len: 2_000_000 })));
    for (const csi of [false, true]) await bothWays(tmp, `${tsv}.gz`, ['-s', '2', '-b', '4', '-e', '5', '-S', '1', '-c', '%', '-0'], regs, csi);
  });

  it('writes the same .tbi/.csi content as htslib on the htslib test-suite files (n_no_coor, linear index, depth)', async () => {
    for (const [file, preset] of [['tabix/vcf_file.vcf', 'vcf'], ['tabix/bed_file.bed', 'bed'], ['tabix/gff_file.gff', 'gff']] as const) {
      const gz = tmp.path(`${file.split('/')[1]}.gz`);
      writeFileSync(gz, run('bgzip', ['-c', `${HTS}/${file}`]).stdout);
      for (const csi of [false, true]) {
        const flags = [...(csi ? ['-C'] : []), '-f', '-p', preset];
        const ext = csi ? '.csi' : '.tbi';
        expect(run('tabix', [...flags, gz]).code).toBe(0);
        const theirs = await canonical(gz + ext);
        expect((await tabix([...flags, gz])).code).toBe(0);
        expect(await canonical(gz + ext), `${file} ${ext}`).toBe(theirs);
      }
    }
  });
});
