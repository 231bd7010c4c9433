// Remote region and key queries over HTTP (issue 3): a generated VCF and BED, bgzipped and indexed
// by htslib and by us (.tbi, .csi, .gki), served by a local Range server
// (test/servers/http-range-server.ts). The same queries run through the CLI (`main()`
// in-process), through the library over @genolake/store-http and over mem://; all must print
// exactly what local htslib `tabix` prints, and every request the server sees must be in the plan
// (`--explain`'s planned total is an upper bound, its "fetched" line the exact count), each a
// bounded `Range: bytes=a-b`, adjacent chunks coalesced, and no byte fetched twice in a batch.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, createHost, parseRegion, type ObjectStore, type Region } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { tabix } from '@genolake/bgzf-tabix';
import storeHttp from '@genolake/store-http';
import { startRangeServer, type RangeServer } from './servers/http-range-server.js';

const have = (tool: string): boolean => spawnSync(tool, ['--version']).status === 0;
const HTSLIB = have('bgzip') && have('tabix');

function sh(tool: string, args: string[], cwd?: string): Buffer {
  const r = spawnSync(tool, args, { cwd, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString()}`);
  return r.stdout;
}

/** Deterministic generator (LCG), so a failure reproduces. */
function rng(seed: number): (m: number) => number {
  let x = seed >>> 0;
  return (m) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % m;
}

const CONTIGS = ['chr1', 'chr2', 'chr10'];

/**
 * A sorted VCF, dense enough that a 16 kb leaf bin holds more than 64 KiB of compressed data
 * (so htslib keeps it rather than folding it into its parent): ~24,000 records per contig over
 * ~60 kb. About one record in 600 is a `<DEL>` with INFO/END 20-100 kb further on; those land in
 * a coarse bin, one chunk each, 0-2 BGZF blocks apart, so a region gets chunks of several bins
 * that are separate yet close in the file: the case where the plan coalesces chunks.
 */
function makeVcf(): string {
  const r = rng(7);
  const lines = ['##fileformat=VCFv4.2', '##INFO=<ID=END,Number=1,Type=Integer,Description="End">', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\tS4'];
  for (const chr of CONTIGS) {
    let pos = 1 + r(50);
    for (let i = 0; i < 24_000; i++) {
      pos += r(5);
      const ref = 'ACGTTGCA'.slice(r(4), r(4) + 1 + r(5)) || 'A';
      const long = r(600) === 0;
      const info = long ? `END=${pos + 20_000 + r(80_000)};DP=${r(99)}` : `DP=${r(99)};AF=0.${r(1000)};MQ=${r(60)}`;
      const gts = Array.from({ length: 4 }, () => `${r(2)}/${r(2)}:${r(50)}:${r(99)}`).join('\t');
      lines.push(`${chr}\t${pos}\tv${chr}_${i}\t${ref}\t${long ? '<DEL>' : 'T'}\t${r(100)}\tPASS\t${info}\tGT:DP:GQ\t${gts}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A sorted BED6 (0-based starts), some intervals long; names g<i>, every 97th line "SHARED". */
function makeBed(): string {
  const r = rng(11);
  const lines: string[] = [];
  let n = 0;
  for (const chr of CONTIGS) {
    let start = r(100);
    for (let i = 0; i < 5000; i++) {
      start += r(40);
      const len = i % 50 === 3 ? 30_000 + r(100_000) : 1 + r(400);
      const name = n % 97 === 5 ? 'SHARED' : `g${n}`;
      lines.push(`${chr}\t${start}\t${start + len}\t${name}\t${r(1000)}\t${r(2) ? '+' : '-'}`);
      n++;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Regions at record edges, a whole contig, an unknown one, a reversed one, and a batch. */
const VCF_REGIONS: string[][] = [
  ['chr1:1000-1500'],
  ['chr2:20000-20100'],
  ['chr10:33000-33001'],
  ['chr1:40000-400000'],
  ['chrZ:1-100'],
  ['chr1:300-200'],
  ['chr1:1-2000', 'chr1:1500-3000', 'chr2:5000-5200', 'chr10:1-1', 'chr2:50000-50300', 'chrZ', 'chr10:17000-17100', 'chr2:41000-41050'],
  ['chr2'],
];
const BED_REGIONS: string[][] = [['chr1:2000-2500'], ['chr2:50000-120000'], ['chr10'], ['chr1:1-100', 'chr2:1-100', 'chr10:100000-100100', 'chr1:150000-151000']];

const tmp = mkdtempSync(join(tmpdir(), 'genolake-tabix-http-'));
let server: RangeServer;

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await main(argv, io, { cwd: tmp, env: {} });
  return { code, out: io.out(), err: io.err() };
}

function resetServer(): void {
  Object.assign(server.stats, { requests: 0, bytes: 0, ranged: 0, whole: 0 });
  server.stats.log.length = 0;
}

/** Every GET the server saw, as [path, first, last]; fails on any GET that was not `bytes=a-b`. */
function serverGets(): Get[] {
  const out: Get[] = [];
  for (const line of server.stats.log) {
    const [method, path, range] = line.split(' ') as [string, string, string];
    if (method !== 'GET') continue;
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    expect(m, `unbounded or missing Range in "${line}"`).not.toBeNull();
    out.push([path, Number(m![1]), Number(m![2])]);
  }
  expect(server.stats.whole).toBe(0);
  return out;
}

type Get = [path: string, first: number, last: number];

/**
 * The explain lines of `genolake tabix --explain`: the index read, each planned data GET with
 * the regions using it, the planned total (an upper bound) and what was fetched (exact).
 */
function parseTabixExplain(err: string, dataPath: string, indexPath: string): { index: Get | undefined; fetches: { regions: string[]; get: Get }[]; planned: [number, number]; fetched: [number, number] } {
  const idx = /explain: index \S+: head \+ get 0-(\d+)/.exec(err);
  const fetches = [...err.matchAll(/explain: get offset (\d+) length (\d+) \(bytes \d+-\d+\) for (.+)/g)].map((m) => ({
    regions: m[3]!.split(' '),
    get: [dataPath, Number(m[1]), Number(m[1]) + Number(m[2]) - 1] as Get,
  }));
  const planned = /explain: planned \(upper bound\): (\d+) requests, (\d+) bytes/.exec(err);
  const fetched = /explain: fetched: (\d+) requests, (\d+) bytes/.exec(err);
  expect(planned, err).not.toBeNull();
  expect(fetched, err).not.toBeNull();
  return { index: idx ? [indexPath, 0, Number(idx[1])] : undefined, fetches, planned: [Number(planned![1]), Number(planned![2])], fetched: [Number(fetched![1]), Number(fetched![2])] };
}

/**
 * Checks the data GETs the server saw against the plan: each GET is one of the planned ones,
 * none beyond what was planned (a multiset: a GET planned once is seen at most once). A region
 * may stop before its last spans (the query ends at the first record past the region; a coarse
 * bin's chunk further on is then never fetched), so some planned GETs may be missing. Returns
 * the planned GETs not made, as [count, bytes].
 */
function matchPlan(planned: Get[], seen: Get[]): [number, number] {
  const left = planned.map((g) => g.join());
  for (const g of seen) {
    const i = left.indexOf(g.join());
    expect(i, `GET ${g.join()} is not in the plan ${left.join(' | ')}`).toBeGreaterThanOrEqual(0);
    left.splice(i, 1);
  }
  return [left.length, left.reduce((n, g) => n + Number(g.split(',')[2]) - Number(g.split(',')[1]) + 1, 0)];
}

/** Whether GETs are pairwise disjoint: no byte of the data object fetched twice. */
function noByteTwice(gets: Get[]): boolean {
  const sorted = [...gets].sort((a, b) => a[1] - b[1]);
  return sorted.every((g, i) => i === 0 || sorted[i - 1]![2] < g[1]);
}

/** Whether every span of a plan is separated from the next by untouched bytes. */
function disjoint(spans: { offset: number; length: number }[]): boolean {
  return spans.every((s, i) => i === 0 || spans[i - 1]!.offset + spans[i - 1]!.length < s.offset);
}

interface Served {
  /** URL path of the data object, e.g. /vcf-ours-tbi/a.vcf.gz */
  path: string;
  local: string;
  indexExt: '.tbi' | '.csi';
}
const served: Served[] = [];
let bedLines: string[] = [];

beforeAll(async () => {
  server = await startRangeServer(tmp);
  if (!HTSLIB) return;
  const files = { vcf: makeVcf(), bed: makeBed() };
  bedLines = files.bed.split('\n').filter(Boolean);
  for (const [kind, text] of Object.entries(files) as ['vcf' | 'bed', string][]) {
    const plain = join(tmp, `a.${kind}`);
    writeFileSync(plain, text);
    sh('bgzip', ['-f', plain]); // htslib's BGZF; both indexes describe the same bytes
    // Our .tbi, htslib's .tbi and our .csi, each beside its own copy of the data object.
    for (const [who, ext] of [['ours', '.tbi'], ['htslib', '.tbi'], ['ours', '.csi']] as const) {
      const dir = `${kind}-${who}-${ext.slice(1)}`;
      mkdirSync(join(tmp, dir));
      const local = join(tmp, dir, `a.${kind}.gz`);
      copyFileSync(`${plain}.gz`, local);
      const csi = ext === '.csi' ? ['-C'] : [];
      if (who === 'ours') {
        const r = await cli(['tabix', ...csi, '-p', kind, local]);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
      } else sh('tabix', [...csi, '-p', kind, local]);
      served.push({ path: `/${dir}/a.${kind}.gz`, local, indexExt: ext });
    }
  }
  // The key index on the BED's name column, built locally, then served with it.
  const gki = await cli(['keyindex', 'build', '-c', '4', join(tmp, 'bed-ours-tbi/a.bed.gz')]);
  expect(gki.code, gki.err).toBe(0);
});

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('htslib oracle for remote queries', () => {
  it.runIf(process.env.CI === 'true')('bgzip and tabix are installed under CI', () => expect(HTSLIB).toBe(true));
  it('runs, or says it skipped', () => {
    if (!HTSLIB) console.warn('bgzip/tabix not installed: tabix-http agreement tests skipped');
    expect(typeof HTSLIB).toBe('boolean');
  });
});

describe.skipIf(!HTSLIB)('genolake tabix over HTTP', () => {
  it('serves six indexed objects (VCF, BED x our .tbi, htslib .tbi, our .csi)', async () => {
    expect(served).toHaveLength(6);
    // Our .tbi and htslib's hold the same bins and chunks (htslib writes bins in hash order).
    for (const kind of ['vcf', 'bed']) {
      const bins = async (who: string) => {
        const path = join(tmp, `${kind}-${who}-tbi/a.${kind}.gz.tbi`);
        const idx = await tabix.decodeTbi(readFileSync(path), path);
        return idx.refs.map((r) => [...r.bins].sort((a, b) => a[0] - b[0]));
      };
      expect(await bins('ours')).toEqual(await bins('htslib'));
    }
  });

  it('CLI: output identical to local htslib; the server sees only the GETs --explain planned, all bounded, no byte twice', async () => {
    let compared = 0;
    let skipped = 0;
    let shared = 0;
    for (const s of served) {
      const sets = s.path.includes('.vcf') ? VCF_REGIONS : BED_REGIONS;
      for (const regions of sets) {
        const expected = sh('tabix', [s.local, ...regions]).toString('latin1');
        resetServer();
        const r = await cli(['tabix', '--explain', `${server.url}${s.path}`, ...regions]);
        expect(r.code, r.err).toBe(0);
        expect(r.out, `${s.path} ${regions.join(' ')}`).toBe(expected);
        compared += expected.length;
        const plan = parseTabixExplain(r.err, s.path, `${s.path}${s.indexExt}`);
        // What the CLI counted ("fetched") is what the server counted; "planned" is an upper bound.
        expect([server.stats.requests, server.stats.bytes]).toEqual(plan.fetched);
        // All bounded: the index get, then data GETs, each a planned one; shared bytes once.
        const gets = serverGets();
        expect(gets[0]).toEqual(plan.index);
        const [notRead, notReadBytes] = matchPlan(plan.fetches.map((f) => f.get), gets.slice(1));
        skipped += notRead;
        expect(plan.planned).toEqual([plan.fetched[0] + notRead, plan.fetched[1] + notReadBytes]);
        expect(noByteTwice(gets.slice(1)), `${s.path} ${regions.join(' ')}: a byte fetched twice`).toBe(true);
        if (plan.fetches.some((f) => f.regions.length > 1)) shared++;
        // Heads: the index (and, for .csi, the .tbi tried first and not found), plus the data
        // object's size when any span is planned.
        const heads = server.stats.log.filter((l) => l.startsWith('HEAD ')).length;
        expect(heads).toBe((s.indexExt === '.csi' ? 2 : 1) + (plan.fetches.length > 0 ? 1 : 0));
      }
    }
    expect(compared).toBeGreaterThan(1_000_000);
    expect(skipped).toBeGreaterThan(0); // the stop-early path was exercised
    expect(shared).toBeGreaterThan(0); // some GET served several regions of a batch
  });

  it('library over store-http = library over mem:// = htslib, stats equal to what the server counted, GETs the planned spans', async () => {
    const host = await createHost();
    await host.use(storeHttp());
    let coalesced = 0;
    for (const s of served) {
      const dir = s.path.slice(0, s.path.lastIndexOf('/') + 1);
      const key = s.path.slice(dir.length);
      const httpStore = (await host.openStore(`${server.url}${dir}`)) as ObjectStore;
      const mem = new MemoryStore('mem://remote-test');
      await mem.put(key, readFileSync(s.local));
      await mem.put(`${key}${s.indexExt}`, readFileSync(`${s.local}${s.indexExt}`));
      const sets = s.path.includes('.vcf') ? VCF_REGIONS : BED_REGIONS;
      for (const texts of sets.filter((t) => !t.includes('chr1:300-200'))) {
        resetServer();
        const remote = await tabix.IndexedFile.open(httpStore, key);
        const local = await tabix.IndexedFile.open(mem, key);
        const names = new Set(remote.index.names);
        const regions: Region[] = texts.map((t) => parseRegion(t, names));
        const explain = await remote.explain(regions);
        const lines: string[] = [];
        for await (const l of remote.queryAll(regions)) lines.push(Buffer.from(l).toString('latin1'));
        const memLines: string[] = [];
        for await (const l of local.queryAll(regions)) memLines.push(Buffer.from(l).toString('latin1'));
        const stats = { ...remote.stats };
        expect({ ...local.stats }).toEqual(stats); // same reads whatever the store
        // Region by region through query() gives the same lines (it plans each region alone).
        const oneByOne: string[] = [];
        for (const region of regions) for await (const l of local.query(region)) oneByOne.push(Buffer.from(l).toString('latin1'));
        expect(oneByOne).toEqual(memLines);
        for (const region of regions) {
          // Adjacent or overlapping chunks became one request: spans never touch.
          const spans = await remote.plan(region);
          expect(disjoint(spans)).toBe(true);
          const id = remote.index.refId(region.contig);
          if (id !== undefined && region.end > region.start) {
            const chunks = remote.index.chunks(id, region.start, Math.min(region.end, Number.MAX_SAFE_INTEGER));
            if (chunks.length > spans.length) coalesced++;
          }
        }
        const out = lines.map((l) => `${l}\n`).join('');
        expect(out).toBe(sh('tabix', [s.local, ...texts]).toString('latin1'));
        expect(memLines).toEqual(lines);
        expect([server.stats.requests, server.stats.bytes]).toEqual([stats.requests, stats.bytes]);
        const gets = serverGets();
        expect(gets[0]).toEqual([`${dir}${key}${s.indexExt}`, 0, explain.index.bytes - 1]);
        const [notRead, notReadBytes] = matchPlan(explain.fetches.map((x) => [`${dir}${key}`, x.offset, x.offset + x.length - 1] as Get), gets.slice(1));
        expect([explain.requests - stats.requests, explain.bytes - stats.bytes]).toEqual([notRead, notReadBytes]);
        expect(noByteTwice(gets.slice(1))).toBe(true);
      }
      await httpStore.close?.();
    }
    // The generated long records make several regions need chunks of several bins.
    expect(coalesced).toBeGreaterThan(3);
  });
});

describe.skipIf(!HTSLIB)('genolake keyindex query over HTTP', () => {
  it('finds the lines by key with bounded ranges; the server sees exactly the --explain reads', async () => {
    const all = bedLines;
    for (const keys of [['g10'], ['SHARED'], ['g14999', 'g0', 'nope', 'g7500'], ['g123']]) {
      resetServer();
      const r = await cli(['keyindex', 'query', '--explain', `${server.url}/bed-ours-tbi/a.bed.gz`, ...keys]);
      expect(r.code, r.err).toBe(0);
      const want = all.filter((l) => keys.includes(l.split('\t')[3]!));
      expect(want.length).toBeGreaterThan(0);
      expect(r.out).toBe(want.map((l) => `${l}\n`).join(''));
      const total = /total: (\d+) requests, (\d+) bytes/.exec(r.err)!;
      const done = /explain: done: (\d+) requests, (\d+) bytes/.exec(r.err)!;
      expect([done[1], done[2]]).toEqual([total[1], total[2]]);
      expect([server.stats.requests, server.stats.bytes]).toEqual([Number(total[1]), Number(total[2])]);
      const planned = [...r.err.matchAll(/explain: (\S+): get offset (\d+) length (\d+)/g)].map((m) => [m[1]!.endsWith('.gki') ? 'gki' : 'data', Number(m[2]), Number(m[3])]);
      // Same reads, any order (entry blocks may be fetched concurrently), each bounded.
      const seen = serverGets().map(([p, a, b]) => [p.endsWith('.gki') ? 'gki' : 'data', a, b - a + 1]);
      const order = (x: (string | number)[][]): string[] => x.map((e) => e.join(':')).sort();
      expect(order(seen)).toEqual(order(planned));
      expect(server.stats.log.filter((l) => l.startsWith('HEAD ')).length).toBe(2);
    }
  });
});
