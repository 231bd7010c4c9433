// paf-to-bam --index: the .bai we build while writing answers samtools exactly as the one
// `samtools index` builds: same `samtools idxstats`, same `samtools view` for many seeded random
// regions (several per call, answered in turn), on every coordinate-sorted BAM of the htslib-test
// and pysam corpus and on a generated multi-contig BAM whose reads cross bins of every level.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { asBam, corpus, hasSamtools, SAMTOOLS } from '../plugins/paf/src/testing/samtools.js';

const tmp = mkdtempSync(join(tmpdir(), 'paf-bai-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let host: DefaultHost;
beforeAll(async () => {
  host = await createHost();
});

async function run(argv: string[]) {
  const io = captureIO({});
  const code = await main(argv, io, { cwd: tmp, env: {}, host });
  return { code, out: io.out(), err: io.err() };
}

function st(args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(SAMTOOLS, args, { maxBuffer: 1 << 30 });
  return { status: r.status, out: r.stdout.toString('latin1'), err: r.stderr.toString('latin1') };
}

/** Seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Random samtools regions over the @SQ lines of `bam`: points, short and long spans, whole contigs, '*'. */
function randomRegions(bam: string, n: number, seed: number): string[] {
  const refs = [...st(['view', '-H', bam]).out.matchAll(/^@SQ\t.*?SN:([^\t\n]+).*?\tLN:(\d+)/gm)].map((m) => ({ name: m[1]!, len: Number(m[2]) }));
  if (!refs.length) return ['*'];
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ref = refs[Math.floor(r() * refs.length)]!;
    const k = r();
    if (k < 0.1) out.push(ref.name);
    else if (k < 0.15) out.push('*');
    else {
      const start = 1 + Math.floor(r() * ref.len);
      const span = k < 0.4 ? 0 : k < 0.8 ? Math.floor(r() * 20000) : Math.floor(r() * ref.len);
      out.push(`${ref.name}:${start}-${Math.min(ref.len, start + span)}`);
    }
  }
  return out;
}

/** Converts `bam` to paf and back with --index; compares with samtools index on a copy. */
async function compare(bam: string, tag: string, nRegions: number): Promise<string[]> {
  const ds = join(tmp, `${tag}.paf`), ours = join(tmp, `${tag}.bam`), theirs = join(tmp, `${tag}.ref.bam`);
  const a = await run(['bam-to-paf', '--chunk-records', '40', bam, ds]);
  if (a.code !== 0) return [`${bam}: bam-to-paf: ${a.err}`];
  const plain = await run(['paf-to-bam', ds, theirs]);
  if (plain.code !== 0) return [`${bam}: paf-to-bam: ${plain.err}`];
  const idx = st(['index', theirs]);
  const b = await run(['paf-to-bam', '--index', ds, ours]);
  if (idx.status !== 0) {
    // samtools cannot index it (unsorted): neither may we, and no .bai may be left behind.
    return b.code !== 0 && !existsSync(`${ours}.bai`) ? [] : [`${bam}: samtools index refused it but paf-to-bam --index gave ${b.code}`];
  }
  if (b.code !== 0) return [`${bam}: paf-to-bam --index: ${b.err}`];
  const failures: string[] = [];
  const s1 = st(['idxstats', ours]), s2 = st(['idxstats', theirs]);
  if (s1.out !== s2.out || s1.err !== s2.err) failures.push(`${bam}: idxstats\n  ours: ${s1.out}${s1.err}\n  want: ${s2.out}${s2.err}`);
  const regions = randomRegions(ours, nRegions, tag.length * 7919 + nRegions);
  for (let i = 0; i < regions.length; i += 25) {
    const batch = regions.slice(i, i + 25);
    const v1 = st(['view', ours, ...batch]), v2 = st(['view', theirs, ...batch]);
    if (v1.out !== v2.out || v1.err !== v2.err || v1.status !== v2.status) failures.push(`${bam}: view ${batch.join(' ')}\n  ours: ${v1.out.length} bytes ${v1.err}\n  want: ${v2.out.length} bytes ${v2.err}`);
    compared += batch.length;
  }
  return failures;
}

let compared = 0;

/** A coordinate-sorted multi-contig SAM: reads of many spans (long N/D skips cross 16 kb windows and upper bins), placed and unplaced unmapped reads. */
function syntheticSam(): string {
  const r = rng(42);
  const contigs = [['c1', 600_000], ['c2', 70_000], ['c3', 3_000_000], ['empty', 5000], ['c5', 20_000]] as const;
  let sam = '@HD\tVN:1.6\tSO:coordinate\n';
  for (const [n, l] of contigs) sam += `@SQ\tSN:${n}\tLN:${l}\n`;
  const lines: string[] = [];
  let q = 0;
  for (const [n, l] of contigs) {
    if (n === 'empty') continue;
    const count = Math.floor(l / 400);
    for (let i = 0; i < count; i++) {
      const pos = 1 + Math.floor(r() * (l - 2000));
      const k = r();
      const cigar = k < 0.7 ? '50M' : k < 0.85 ? `20M${1 + Math.floor(r() * 40000)}N30M` : k < 0.9 ? `10M${1 + Math.floor(r() * 300000)}D40M` : k < 0.95 ? '50S' : '50M';
      const flag = k >= 0.9 && k < 0.95 ? 4 : 0;
      const refLen = cigar.match(/\d+[MDN]/g)?.reduce((s, x) => s + Number(x.slice(0, -1)), 0) ?? 0;
      if (pos + refLen > l) continue;
      lines.push(`r${q++}\t${flag}\t${n}\t${pos}\t${flag ? 0 : 30}\t${flag ? '*' : cigar}\t*\t0\t0\t${'ACGT'.repeat(13).slice(0, 50)}\t*`);
    }
  }
  for (let i = 0; i < 30; i++) lines.push(`u${i}\t4\t*\t0\t0\t*\t*\t0\t0\tACGTACGT\t*`);
  return `${sam}${lines.join('\n')}\n`;
}

describe.skipIf(!hasSamtools && !process.env.CI)('paf-to-bam --index vs samtools index', () => {
  it('generated multi-contig BAM: idxstats and 400 random regions agree', async () => {
    const sam = join(tmp, 'synth.sam'), bam = join(tmp, 'synth.sorted.bam');
    writeFileSync(sam, syntheticSam());
    expect(st(['sort', '-o', bam, sam]).status).toBe(0);
    expect(await compare(bam, 'synth', 400)).toEqual([]);
  }, 120_000);

  it('every coordinate-sorted BAM of the corpus: idxstats and random regions agree', async () => {
    const failures: string[] = [];
    const before = compared;
    for (const [i, f] of corpus().entries()) {
      const bam = asBam(f, 7000 + i);
      if (!bam) continue;
      failures.push(...(await compare(bam, `c${i}`, 50)));
    }
    expect(failures).toEqual([]);
    expect(compared - before).toBeGreaterThan(1000);
  }, 600_000);

  it('refuses --index to stdout', async () => {
    const r = await run(['paf-to-bam', '--index', join(tmp, 'synth.paf'), '-']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--index/);
  });
});
