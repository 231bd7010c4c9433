import { PassThrough, Readable } from 'node:stream';
import { type GetOptions, MemoryStore, type ObjectStore, createHost, parseRegion } from '@genolake/core';
import { describe, expect, it } from 'vitest';
import { BinningIndex } from '../binning/index.js';
import { MAX_BLOCK_SIZE } from '../bgzf/block.js';
import { Writer } from '../bgzf/writer.js';
import * as vo from '../bgzf/virtual-offset.js';
import bgzfTabix from '../plugin.js';
import { fromBytes } from '../source.js';
import { PRESETS } from './config.js';
import { buildIndex } from './indexer.js';
import { IndexedFile } from './query.js';
import { encodeTbi } from './tbi.js';

/** A store wrapper that records every get (its range) and head. */
function counting(inner: ObjectStore): ObjectStore & { gets: (GetOptions['range'] | undefined)[]; heads: number } {
  const gets: (GetOptions['range'] | undefined)[] = [];
  const w = {
    url: inner.url,
    capabilities: inner.capabilities,
    gets,
    heads: 0,
    get: (key: string, o?: GetOptions) => (gets.push(o?.range), inner.get(key, o)),
    head: (key: string, o?: { signal?: AbortSignal }) => (w.heads++, inner.head(key, o)),
    put: inner.put.bind(inner),
    list: inner.list.bind(inner),
    delete: inner.delete.bind(inner),
  };
  return w;
}

/** Sorted VCF text over chr1 and chr2, ~`n` records each, and its BGZF bytes (flushed every 50 lines). */
async function makeVcf(n: number): Promise<{ text: string; gz: Uint8Array }> {
  const lines = ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO'];
  for (const chr of ['chr1', 'chr2']) for (let i = 0; i < n; i++) lines.push(`${chr}\t${1 + i * 37}\t.\tACGT\tA\t50\tPASS\tDP=${i % 90}`);
  const parts: Uint8Array[] = [];
  const w = new Writer({ write: (c) => void parts.push(c) }, { level: 1 });
  for (let i = 0; i < lines.length; i++) {
    await w.write(Buffer.from(`${lines[i]}\n`));
    if (i % 50 === 49) await w.flush(); // many small blocks
  }
  await w.end();
  return { text: lines.join('\n'), gz: Buffer.concat(parts) };
}

async function tabixCmd(host: Awaited<ReturnType<typeof createHost>>, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
  const code = await host.getCommand('tabix')!.run(argv, { host, io: { stdout, stderr, stdin: Readable.from([]), interactive: false } });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString() };
}

describe('tabix query plans', () => {
  it('coalesces chunks sharing or touching blocks into one bounded request', async () => {
    const { gz } = await makeVcf(400);
    const store = counting(new MemoryStore('mem://t'));
    await store.put('a.vcf.gz', gz);
    // Three chunks of one bin: two inside block 0, one from the next block onwards.
    const blocks: number[] = [0];
    const full = await buildIndex(fromBytes(gz).stream(), { config: PRESETS.vcf! });
    for (const chunks of full.refs[0]!.bins.values()) for (const c of chunks) blocks.push(vo.coffset(c.beg), vo.coffset(c.end));
    const second = [...new Set(blocks)].sort((a, b) => a - b).find((b) => b > 0)!;
    const chunks = [
      { beg: vo.make(0, 100), end: vo.make(0, 300) },
      { beg: vo.make(0, 500), end: vo.make(0, 900) },
      { beg: vo.make(second, 0), end: vo.make(second, 200) },
    ];
    const index = new BinningIndex('tbi', 14, 5, PRESETS.vcf!, ['chr1'], [{ bins: new Map([[4681, chunks]]), loffsets: new Map(), linear: [] }]);
    const f = new IndexedFile(index, store, 'a.vcf.gz');
    const plan = await f.plan({ contig: 'chr1', start: 0, end: 1000 });
    expect(plan).toHaveLength(1);
    expect(plan[0]!.offset).toBe(0);
    for await (const _ of f.query({ contig: 'chr1', start: 0, end: 1000 })) {
      // reading is what is counted
    }
    expect(store.gets).toHaveLength(1); // one ranged get for all three chunks
    expect(store.heads).toBe(1); // the data size, to bound the last block
    expect(store.gets[0]).toEqual({ offset: 0, length: plan[0]!.length });
    expect(f.stats).toEqual({ requests: 2, bytes: plan[0]!.length });
    // This index is sparse (it knows no block start after \`second\`): the last block is then
    // bounded by the largest block size, clipped to the file.
    expect(plan[0]!.length).toBe(Math.min(second + MAX_BLOCK_SIZE, gz.length));
  });

  it('ends each span at a block boundary: the next block start the index knows, within 64 KiB', async () => {
    const { gz } = await makeVcf(12_000); // ~150 KiB of ~320-byte blocks
    const store = counting(new MemoryStore('mem://t'));
    await store.put('a.vcf.gz', gz);
    const index = await buildIndex(fromBytes(gz).stream(), { config: PRESETS.vcf! });
    const f = new IndexedFile(index, store, 'a.vcf.gz');
    const starts = new Set<number>([gz.length]);
    for (let o = 0; o < gz.length; o += (gz[o + 16]! | (gz[o + 17]! << 8)) + 1) starts.add(o);
    let partial = 0;
    for (const region of [{ contig: 'chr1', start: 1000, end: 5000 }, { contig: 'chr1', start: 40_000, end: 41_000 }, { contig: 'chr2', start: 0, end: 100_000 }]) {
      for (const s of await f.plan(region)) {
        const last = vo.coffset(s.vend);
        if (vo.uoffset(s.vend) === 0) {
          expect(s.offset + s.length).toBe(last);
          continue;
        }
        partial++;
        // Through the block holding vend, up to the next start the index knows (these blocks are
        // small: the index knows one start per 16 kb window, not every block), never 64 KiB.
        const end = s.offset + s.length;
        expect(starts.has(end)).toBe(true);
        expect(end).toBe(Math.min(index.nextBlockStart(last) ?? gz.length, gz.length));
        expect(end).toBeGreaterThanOrEqual(last + (gz[last + 16]! | (gz[last + 17]! << 8)) + 1);
        expect(end).toBeLessThan(last + MAX_BLOCK_SIZE);
      }
    }
    expect(partial).toBeGreaterThan(0);
    // A block start the index knows beyond 64 KiB away does not widen the read: the 64 KiB bound holds.
    const far = new BinningIndex('tbi', 14, 5, PRESETS.vcf!, ['chr1'], [{ bins: new Map([[4681, [{ beg: vo.make(0, 10), end: vo.make(0, 500) }]]]), loffsets: new Map(), linear: [vo.make(0, 10), vo.make(gz.length - 28, 0)] }]);
    expect(gz.length - 28).toBeGreaterThan(MAX_BLOCK_SIZE);
    expect(await new IndexedFile(far, store, 'a.vcf.gz').plan({ contig: 'chr1', start: 0, end: 100 })).toEqual([{ offset: 0, length: MAX_BLOCK_SIZE, vbeg: vo.make(0, 10), vend: vo.make(0, 500) }]);
  });

  it('a batch fetches bytes shared by several regions once, and prints each region in turn', async () => {
    const { gz } = await makeVcf(3000);
    const host = await createHost();
    await host.use(bgzfTabix());
    const inner = (await host.openStore('mem://b/')) as ObjectStore;
    await inner.put('a.vcf.gz', gz);
    await inner.put('a.vcf.gz.tbi', encodeTbi(await buildIndex(fromBytes(gz).stream(), { config: PRESETS.vcf! })));
    const regions = ['chr1:1000-5000', 'chr1:3000-6000', 'chr2:100-200', 'chr1:1000-5000'];
    const one = await Promise.all(regions.map((r) => tabixCmd(host, ['mem://b/a.vcf.gz', r])));
    const r = await tabixCmd(host, ['--explain', 'mem://b/a.vcf.gz', ...regions]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(one.map((x) => x.stdout).join('')); // overlapping regions repeat lines
    expect(r.stdout.split('\n').length).toBeGreaterThan(100);
    const fetches = [...r.stderr.matchAll(/explain: get offset (\d+) length (\d+) \(bytes \d+-\d+\) for (.+)/g)];
    expect(fetches.length).toBeLessThan(regions.length);
    expect(fetches.some((m) => m[3]!.startsWith('chr1:1000-5000 chr1:3000-6000'))).toBe(true);
    const planned = /explain: planned \(upper bound\): (\d+) requests, (\d+) bytes/.exec(r.stderr)!;
    const fetched = /explain: fetched: (\d+) requests, (\d+) bytes/.exec(r.stderr)!;
    expect(Number(fetched[1])).toBeLessThanOrEqual(Number(planned[1]));
    expect(Number(fetched[2])).toBeLessThanOrEqual(Number(planned[2]));
    // The library through a counting store: the same reads, no byte twice, fewer than region by region.
    const store = counting(inner);
    const f = await IndexedFile.open(store, 'a.vcf.gz');
    const names = new Set(f.index.names);
    const parsed = regions.map((t) => parseRegion(t, names));
    let n = 0;
    for await (const _ of f.queryAll(parsed)) n++;
    expect(n).toBe(r.stdout.split('\n').length - 1);
    const data = store.gets.slice(1).map((g) => [g!.offset, g!.offset + g!.length] as const).sort((a, b) => a[0] - b[0]);
    expect(data.every((g, i) => i === 0 || data[i - 1]![1] <= g[0])).toBe(true);
    expect(f.stats).toEqual({ requests: Number(fetched[1]), bytes: Number(fetched[2]) });
    const alone = counting(inner);
    const g = await IndexedFile.open(alone, 'a.vcf.gz');
    for (const region of parsed) for await (const _ of g.query(region)) void _;
    expect(g.stats.bytes).toBeGreaterThan(f.stats.bytes);
  });

  it('answers over mem:// as over a local file, --explain totals match the requests made, none open-ended', async () => {
    const { gz, text } = await makeVcf(3000);
    const index = encodeTbi(await buildIndex(fromBytes(gz).stream(), { config: PRESETS.vcf! }));
    const host = await createHost();
    await host.use(bgzfTabix());
    const inner = (await host.openStore('mem://q/')) as ObjectStore;
    await inner.put('a.vcf.gz', gz);
    await inner.put('a.vcf.gz.tbi', index);
    const regions = ['chr1:1000-5000', 'chr2:50000-52000', 'chr1:90000-91000', 'chrZ:1-10'];
    const r = await tabixCmd(host, ['--explain', 'mem://q/a.vcf.gz', ...regions]);
    expect(r.code).toBe(0);
    const expected = regions
      .flatMap((reg) => {
        const [contig, range] = reg.split(':') as [string, string];
        const [b, e] = range.split('-').map(Number) as [number, number];
        return text.split('\n').filter((l) => {
          const c = l.split('\t');
          if (l.startsWith('#') || c[0] !== contig) return false;
          const pos = Number(c[1]);
          return pos <= e && pos + c[3]!.length - 1 >= b;
        });
      })
      .map((l) => `${l}\n`)
      .join('');
    expect(r.stdout).toBe(expected);
    const total = /explain: planned \(upper bound\): (\d+) requests, (\d+) bytes/.exec(r.stderr)!;
    const done = /explain: fetched: (\d+) requests, (\d+) bytes/.exec(r.stderr)!;
    expect(done[1]).toBe(total[1]);
    expect(done[2]).toBe(total[2]);
    // The library, through a counting store: every get is bounded.
    const store = counting(inner);
    const f = await IndexedFile.open(store, 'a.vcf.gz');
    for (const reg of [{ contig: 'chr1', start: 999, end: 5000 }, { contig: 'chr2', start: 0, end: Infinity }]) for await (const _ of f.query(reg)) void _;
    expect(store.gets.length).toBeGreaterThan(1);
    for (const g of store.gets) {
      expect(g).toBeDefined();
      expect(Number.isSafeInteger(g!.length)).toBe(true);
    }
  });

  it('a reversed region prints nothing and exits 0, like htslib tabix', async () => {
    const { gz } = await makeVcf(100);
    const host = await createHost();
    await host.use(bgzfTabix());
    const store = (await host.openStore('mem://r/')) as ObjectStore;
    await store.put('a.vcf.gz', gz);
    await store.put('a.vcf.gz.tbi', encodeTbi(await buildIndex(fromBytes(gz).stream(), { config: PRESETS.vcf! })));
    expect(await tabixCmd(host, ['mem://r/a.vcf.gz', 'chr1:300-200'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
