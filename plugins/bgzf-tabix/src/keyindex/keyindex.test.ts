import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { CorruptDataError, MemoryStore, type ObjectStore, PreconditionFailedError, withMetrics } from '@genolake/core';
import { afterAll, describe, expect, it } from 'vitest';
import { Writer } from '../bgzf/writer.js';
import { BLOCK_INPUT_SIZE } from '../bgzf/block.js';
import { fromBytes } from '../source.js';
import { tempDir } from '../testing/htslib.js';
import { type BuildOptions, KeyIndexBuilder } from './builder.js';
import type { KeySpec } from './keys.js';
import { KeyIndex, type LookupOptions } from './lookup.js';

/** xorshift32 */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

async function bgzip(text: string, level = 1): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const w = new Writer({ write: (c) => void parts.push(c) }, { level });
  await w.write(Buffer.from(text, 'latin1'));
  await w.end();
  return Buffer.concat(parts);
}

/** A GFF3 sorted by position whose gene names are random (so unsorted by name), several features per gene. */
function makeGff(genes: number, seed: number): { text: string; names: string[] } {
  const r = rng(seed);
  const names: string[] = [];
  const lines = ['##gff-version 3'];
  let pos = 1;
  for (let g = 0; g < genes; g++) {
    // A few names are reused by many genes; some differ only by case.
    const pick = r();
    const name = pick < 0.03 ? 'HOT1' : pick < 0.05 ? (r() < 0.5 ? 'Brca1' : 'BRCA1') : `G${Math.floor(r() * 1e6).toString(36)}x${g}`;
    names.push(name);
    const chr = `chr${1 + Math.floor(g / (genes / 3))}`;
    const len = 500 + Math.floor(r() * 5000);
    const id = `gene${g}`;
    lines.push(`${chr}\tsim\tgene\t${pos}\t${pos + len}\t.\t+\t.\tID=${id};Name=${name};biotype=protein_coding`);
    lines.push(`${chr}\tsim\tmRNA\t${pos}\t${pos + len}\t.\t+\t.\tID=${id}.t1;Parent=${id};Name=${name}-201`);
    const exons = 1 + Math.floor(r() * 4);
    for (let e = 0; e < exons; e++) lines.push(`${chr}\tsim\texon\t${pos + e * 100}\t${pos + e * 100 + 50}\t.\t+\t.\tID=${id}.e${e};Parent=${id}.t1,${id}`);
    if (r() < 0.1) lines.push(`# a comment with Name=${name}`);
    pos += len + Math.floor(r() * 1000);
  }
  return { text: `${lines.join('\n')}\n`, names };
}

/** A TSV with a header line and a key column of random, repeated, case-varied keys. */
function makeTsv(rows: number, seed: number): { text: string; keys: string[] } {
  const r = rng(seed);
  const keys: string[] = [];
  const lines = ['sample\tvalue\tkey\tnote'];
  for (let i = 0; i < rows; i++) {
    const k = r() < 0.2 ? `k${Math.floor(r() * 20)}` : r() < 0.05 ? 'K1' : `id${Math.floor(r() * 1e9).toString(16)}`;
    keys.push(k);
    lines.push(`s${i}\t${(r() * 100).toFixed(3)}\t${k}\t${'n'.repeat(Math.floor(r() * 80))}`);
  }
  return { text: lines.join('\n'), keys }; // no final newline: the last line ends the file
}

async function build(gz: Uint8Array, spec: KeySpec, extra: Partial<BuildOptions> = {}): Promise<{ bytes: Uint8Array; b: KeyIndexBuilder }> {
  const b = new KeyIndexBuilder({ spec, name: 'data', threads: 1, ...extra });
  const parts: Uint8Array[] = [];
  for await (const c of b.build(fromBytes(gz).stream())) parts.push(c.slice());
  return { bytes: Buffer.concat(parts), b };
}

const tmp = tempDir('genolake-gki-test-');
afterAll(() => tmp.cleanup());
const HAVE_AWK = spawnSync('awk', ['BEGIN{}']).status === 0 && spawnSync('zcat', ['--version']).status === 0;

/**
 * The oracle: `zcat | awk` over the data, printing the line numbers matching any of a query's
 * keys (column `col`, or attribute `attr` of it with comma-separated values).
 */
function awkOracle(gz: Uint8Array, spec: KeySpec, queries: { keys: string[]; o: LookupOptions }[]): number[][] {
  const path = tmp.path(`d${Math.random().toString(36).slice(2)}.gz`);
  writeFileSync(path, gz);
  const qfile = `${path}.q`;
  writeFileSync(qfile, queries.flatMap((q, i) => q.keys.map((k) => `${i}\t${q.o.prefix ? 1 : 0}\t${q.o.ignoreCase ? 1 : 0}\t${k}\n`)).join(''));
  const prog = `
    BEGIN { FS = "\\t"; while ((getline l < QF) > 0) { split(l, f, "\\t"); n++; qi[n] = f[1]; qp[n] = f[2]; qc[n] = f[3]; qk[n] = f[4] } }
    NR <= SKIP || /^#/ { next }
    {
      m = 0
      if (ATTR == "") { m = 1; v[1] = $COL } else {
        na = split($COL, a, ";")
        for (i = 1; i <= na; i++) if (index(a[i], ATTR "=") == 1) { m = split(substr(a[i], length(ATTR) + 2), v, ","); break }
      }
      for (j = 1; j <= m; j++) for (q = 1; q <= n; q++) {
        x = v[j]; k = qk[q]
        if (qc[q]) { x = tolower(x); k = tolower(k) }
        if ((qp[q] && index(x, k) == 1) || (!qp[q] && x == k)) { if (!((qi[q], NR) in seen)) { seen[qi[q], NR] = 1; print qi[q] "\\t" NR } }
      }
    }`;
  const r = spawnSync('sh', ['-c', `zcat "${path}" | LC_ALL=C awk -v QF="${qfile}" -v SKIP=${spec.skip} -v COL=${spec.column} -v ATTR="${spec.attr ?? ''}" '${prog}'`], {
    maxBuffer: 1 << 28,
  });
  expect(r.status, r.stderr.toString()).toBe(0);
  const out: number[][] = queries.map(() => []);
  for (const l of r.stdout.toString().split('\n')) {
    if (!l) continue;
    const [q, nr] = l.split('\t').map(Number) as [number, number];
    out[q]!.push(nr);
  }
  return out.map((o) => o.sort((a, b) => a - b));
}

/** Line numbers (1-based) of lines crossing a BGZF block boundary (the Writer cuts every BLOCK_INPUT_SIZE bytes). */
function boundaryLines(text: string): number[] {
  const out: number[] = [];
  let off = 0;
  text.split('\n').forEach((l, i) => {
    const end = off + l.length + 1;
    if (Math.floor(off / BLOCK_INPUT_SIZE) !== Math.floor((end - 1) / BLOCK_INPUT_SIZE)) out.push(i + 1);
    off = end;
  });
  return out;
}

async function queryLines(ki: KeyIndex, keys: string[], o: LookupOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const l of ki.query(keys, o)) out.push(Buffer.from(l).toString('latin1'));
  return out;
}

async function checkAgainstAwk(text: string, gz: Uint8Array, spec: KeySpec, pool: string[], seed: number, extra: Partial<BuildOptions> = {}): Promise<void> {
  const { bytes } = await build(gz, spec, extra);
  const store = new MemoryStore('mem://k');
  await store.put('d.gz', gz);
  await store.put('d.gz.gki', bytes);
  const ki = await KeyIndex.open(store, 'd.gz');
  const r = rng(seed);
  const lines = text.split('\n');
  const pick = (): string => pool[Math.floor(r() * pool.length)]!;
  const queries: { keys: string[]; o: LookupOptions }[] = [];
  for (let i = 0; i < 60; i++) queries.push({ keys: [pick()], o: {} });
  for (let i = 0; i < 15; i++) queries.push({ keys: [pick(), pick(), 'absent-key'], o: {} });
  for (let i = 0; i < 15; i++) queries.push({ keys: [pick().slice(0, 1 + Math.floor(r() * 3))], o: { prefix: true } });
  for (let i = 0; i < 15; i++) queries.push({ keys: [pick().toLowerCase()], o: { ignoreCase: true } });
  queries.push({ keys: ['zzzz-absent'], o: {} }, { keys: ['brca'], o: { prefix: true, ignoreCase: true } }, { keys: ['BRCA1'], o: {} }, { keys: ['\u0001'], o: { prefix: true } });
  const expected = awkOracle(gz, spec, queries);
  for (const [i, q] of queries.entries()) {
    const want = expected[i]!.map((nr) => lines[nr - 1]!);
    expect(await queryLines(ki, q.keys, q.o), JSON.stringify(q)).toEqual(want);
  }
  expect(expected.some((e) => e.length > 100), 'some key is on many lines').toBe(true);
}

describe.runIf(HAVE_AWK)('key index lookups agree with zcat | awk', () => {
  it('GFF3 Name= attribute (random names, many features per gene, comments, case variants)', async () => {
    const { text, names } = makeGff(3000, 7);
    const gz = await bgzip(text);
    const atBoundary = boundaryLines(text).map((nr) => /Name=([^;,]*)/.exec(text.split('\n')[nr - 1]!)?.[1]).filter((n): n is string => !!n);
    expect(atBoundary.length).toBeGreaterThan(2);
    await checkAgainstAwk(text, gz, { column: 9, attr: 'Name', meta: '#', skip: 0 }, [...names, ...names.map((n) => `${n}-201`), ...atBoundary, ...atBoundary], 11);
  });

  it('GFF3 Parent= (comma-separated values) with a spilled external sort gives the same bytes', async () => {
    const { text } = makeGff(800, 3);
    const gz = await bgzip(text);
    const spec: KeySpec = { column: 9, attr: 'Parent', meta: '#', skip: 0 };
    const one = await build(gz, spec);
    const many = await build(gz, spec, { memoryBytes: 16 * 1024, tmpDir: tmp.dir, blockBytes: 2048 });
    expect(many.b.stats.runs).toBeGreaterThan(3);
    expect(one.b.stats.runs).toBe(0);
    const small = await build(gz, spec, { memoryBytes: 16 * 1024, tmpDir: tmp.dir });
    expect(Buffer.from(small.bytes).equals(Buffer.from(one.bytes))).toBe(true);
    await checkAgainstAwk(text, gz, spec, Array.from({ length: 800 }, (_, g) => `gene${g}.t1`), 5, { blockBytes: 2048, memoryBytes: 16 * 1024, tmpDir: tmp.dir });
  });

  it('TSV column 3 (header line, no final newline, lines across blocks)', async () => {
    const { text, keys } = makeTsv(12000, 9);
    const gz = await bgzip(text);
    const atBoundary = boundaryLines(text).map((nr) => text.split('\n')[nr - 1]!.split('\t')[2]!);
    await checkAgainstAwk(text, gz, { column: 3, meta: '#', skip: 1 }, [...keys, ...atBoundary, ...atBoundary, keys[keys.length - 1]!], 13, { blockBytes: 4096 });
  });
});

describe('key index reads', () => {
  async function setup(): Promise<{ store: ObjectStore; text: string; names: string[]; bytes: Uint8Array; gz: Uint8Array }> {
    const { text, names } = makeGff(4000, 21);
    const gz = await bgzip(text);
    const { bytes } = await build(gz, { column: 9, attr: 'Name', meta: '#', skip: 0 }, { blockBytes: 8192 });
    const store = new MemoryStore('mem://m');
    await store.put('a.gff3.gz', gz);
    await store.put('a.gff3.gz.gki', bytes);
    return { store, text, names, bytes, gz };
  }

  it('a lookup reads the index tail, one entry block and the data blocks holding the lines, all bounded', async () => {
    const { store, names, bytes, gz } = await setup();
    const m = withMetrics(store);
    const ki = await KeyIndex.open(m, 'a.gff3.gz');
    expect(ki.blocks.length).toBeGreaterThan(5);
    const name = names.find((n) => n.startsWith('G'))!;
    const lines = await queryLines(ki, [name], {});
    expect(lines).toHaveLength(1);
    const idx = m.metrics.ranges.filter((r) => r.key === 'a.gff3.gz.gki');
    const data = m.metrics.ranges.filter((r) => r.key === 'a.gff3.gz');
    expect(m.metrics.heads).toBe(2);
    expect(idx).toHaveLength(2); // tail (trailer + metadata + top table), one entry block
    expect(idx[0]).toMatchObject({ offset: bytes.length - Math.min(bytes.length, 65536) });
    expect(idx[1]!.length).toBeLessThan(8192);
    expect(data).toHaveLength(1);
    expect(data[0]!.length).toBeLessThanOrEqual(2 * 65536);
    expect(data[0]!.length).toBeLessThan(gz.length / 4);
    for (const r of m.metrics.ranges) expect(r.whole).toBeUndefined();
    expect(ki.stats).toEqual({ requests: m.metrics.requests, bytes: m.metrics.bytesRead });
  });

  it('a key on many lines reads each needed data block once, coalesced', async () => {
    const { store, text } = await setup();
    const m = withMetrics(store);
    const ki = await KeyIndex.open(m, 'a.gff3.gz');
    const plan = await ki.plan(['HOT1'], {});
    const lines = await queryLines(ki, ['HOT1'], {});
    expect(lines.length).toBe(text.split('\n').filter((l) => !l.startsWith('#') && l.includes('Name=HOT1;')).length);
    const data = m.metrics.ranges.filter((r) => r.key === 'a.gff3.gz');
    expect(data.length).toBe(plan.dataReads.length);
    for (let i = 1; i < data.length; i++) expect(data[i]!.offset).toBeGreaterThanOrEqual(data[i - 1]!.offset + data[i - 1]!.length);
  });

  it('a corrupt index object is a CorruptDataError naming it', async () => {
    const { store, bytes } = await setup();
    const flip = async (at: number): Promise<unknown> => {
      const b = bytes.slice();
      b[at] ^= 0x55;
      await store.put('a.gff3.gz.gki', b);
      try {
        const ki = await KeyIndex.open(store, 'a.gff3.gz');
        for (let k = 0; k < 26; k++) await queryLines(ki, [String.fromCharCode(65 + k)], { prefix: true, ignoreCase: true });
        return undefined;
      } catch (e) {
        return e;
      }
    };
    for (const at of [bytes.length - 2, bytes.length - 30, bytes.length - 70, 20, Math.floor(bytes.length / 2)]) {
      const e = await flip(at);
      expect(e, `byte ${at}`).toBeInstanceOf(CorruptDataError);
      expect((e as Error).message).toContain('a.gff3.gz.gki');
    }
    await store.put('a.gff3.gz.gki', bytes.subarray(0, 40));
    await expect(KeyIndex.open(store, 'a.gff3.gz')).rejects.toThrow(CorruptDataError);
  });

  it('an index older than its data is refused with a clear error', async () => {
    const { store, text } = await setup();
    await store.put('a.gff3.gz', await bgzip(`${text}chr9\tsim\tgene\t1\t2\t.\t+\t.\tName=NEW\n`));
    await expect(KeyIndex.open(store, 'a.gff3.gz')).rejects.toThrow(/out of date.*rebuild/);
    await expect(KeyIndex.open(store, 'a.gff3.gz')).rejects.toBeInstanceOf(PreconditionFailedError);
    // Same size, other content (stored blocks keep the size): caught when a line no longer carries its key.
    const gz = await bgzip(text, 0);
    const swapped = await bgzip(text.replace(/Name=HOT1;/g, 'Name=HOT2;'), 0);
    expect(swapped.length).toBe(gz.length);
    const s2 = new MemoryStore('mem://s');
    await s2.put('a.gz', gz);
    await s2.put('a.gz.gki', (await build(gz, { column: 9, attr: 'Name', meta: '#', skip: 0 })).bytes);
    expect(await queryLines(await KeyIndex.open(s2, 'a.gz'), ['HOT1'], {})).not.toHaveLength(0);
    await s2.put('a.gz', swapped);
    const ki = await KeyIndex.open(s2, 'a.gz');
    await expect(queryLines(ki, ['HOT1'], {})).rejects.toThrow(/out of date or corrupt/);
  });
});
