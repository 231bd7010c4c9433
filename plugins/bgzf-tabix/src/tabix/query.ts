/**
 * Region queries on a tabix/CSI-indexed BGZF object: reads the index once, turns each region's
 * chunks into bounded ranged reads (adjacent and overlapping chunks coalesced, each read ending
 * at a block boundary the index knows), plans a batch of regions together so that bytes shared
 * by several regions are fetched once (./batch.ts), inflates the blocks a few at a time and
 * keeps the lines that overlap each region. Output order and duplicates follow htslib's tabix:
 * regions are answered one after another, so overlapping regions repeat lines.
 */
import { CorruptDataError, NotFoundError, type ObjectStore, type Region } from '@genolake/core';
import type { ByteSource } from '@genolake/core/plugin';
import type { BinningIndex } from '../binning/index.js';
import { MAX_BLOCK_SIZE, decompressBlock, parseHeader } from '../bgzf/block.js';
import { Reader, type ReadStats } from '../bgzf/reader.js';
import * as vo from '../bgzf/virtual-offset.js';
import { fromObject } from '../source.js';
import { decodeCsi } from '../csi/csi.js';
import { type BatchPlan, planBatch } from './batch.js';
import { parseLine } from './record.js';
import { decodeTbi } from './tbi.js';

/**
 * One planned read: the bytes `[offset, offset + length)` of the data file in one bounded
 * request, holding whole blocks from the block of `vbeg` through the block of `vend`.
 */
export interface Span {
  offset: number;
  length: number;
  /** Virtual offsets bounding the records wanted. */
  vbeg: vo.VirtualOffset;
  vend: vo.VirtualOffset;
}

/**
 * What a batch of queries may cost, for `tabix --explain`: the index read, then each bounded
 * request a complete read of every span makes. An upper bound: a region's query stops at its
 * first record past the region's end, so later spans of it may never be fetched (`stats` after
 * the query is the exact count).
 */
export interface Explain {
  index: { key: string; bytes: number };
  /** Planned requests in order, each with the regions that use its bytes. */
  fetches: { regions: Region[]; offset: number; length: number }[];
  /** Upper bound on requests and bytes, index (head + ranged get) and the data's head included. */
  requests: number;
  bytes: number;
}

/** Blocks inflated at once while reading a span: 2 at first, doubling to 16 (~1 MiB inflated). */
const WINDOW_MAX = 16;

/**
 * Loads the index of `key`: `indexKey` if given, else `key.tbi`, then `key.csi`. Reads it with
 * a head and one get bounded by the size (never an open-ended request).
 */
export async function loadIndex(store: ObjectStore, key: string, indexKey?: string): Promise<BinningIndex> {
  return (await fetchIndex(store, key, indexKey)).index;
}

async function fetchIndex(store: ObjectStore, key: string, indexKey?: string): Promise<{ index: BinningIndex; key: string; bytes: number; requests: number }> {
  const candidates = indexKey ? [indexKey] : [`${key}.tbi`, `${key}.csi`];
  let requests = 0;
  for (const k of candidates) {
    let bytes: Uint8Array;
    try {
      requests++;
      const { size } = await store.head(k);
      requests++;
      bytes = await store.get(k, { range: { offset: 0, length: size } });
    } catch (e) {
      if (e instanceof NotFoundError && !indexKey) continue;
      throw e;
    }
    const index = k.endsWith('.csi') ? await decodeCsi(bytes, k) : await decodeTbi(bytes, k);
    return { index, key: k, bytes: bytes.length, requests };
  }
  throw new NotFoundError(`no index for ${key} (looked for ${candidates.join(', ')}); build one with: genolake tabix ${key}`);
}

export class IndexedFile {
  readonly reader: Reader;
  private readonly source: ByteSource;
  /** Requests and bytes of the index read (added to `stats`). */
  private readonly indexRead: { key: string; bytes: number; requests: number };

  constructor(
    readonly index: BinningIndex,
    store: ObjectStore,
    readonly key: string,
    indexRead: { key: string; bytes: number; requests: number } = { key: '', bytes: 0, requests: 0 },
  ) {
    this.source = fromObject(store, key);
    this.reader = new Reader(this.source, { cacheBlocks: 8 });
    this.indexRead = indexRead;
  }

  static async open(store: ObjectStore, key: string, indexKey?: string): Promise<IndexedFile> {
    const r = await fetchIndex(store, key, indexKey);
    return new IndexedFile(r.index, store, key, r);
  }

  /** Requests and bytes so far: index head and get, the data file's head, ranged gets. */
  get stats(): ReadStats {
    return {
      requests: this.reader.stats.requests + this.indexRead.requests + (this.size ? 1 : 0),
      bytes: this.reader.stats.bytes + this.indexRead.bytes,
    };
  }

  private size: Promise<number> | undefined;
  /** The data file's size (one head, cached): spans are clipped to it. */
  private dataSize(): Promise<number> {
    return (this.size ??= this.source.size!().then((n) => n ?? Number.MAX_SAFE_INTEGER));
  }

  /**
   * Planned reads for a region (empty for a contig the index does not know, and for an empty or
   * reversed region, as tabix). Chunks whose bytes overlap or touch are coalesced into one
   * request. A chunk ending inside a block needs that block whole, whose size is only in its
   * header; the request then ends at the next block start the index knows (every chunk
   * boundary and linear-index entry is one): with bgzip's ~64 KiB blocks that is usually the
   * end of the last block needed, with smaller blocks a few blocks further at most. When the
   * index knows no block start within 64 KiB (a sparse index), the request extends by the
   * largest block size instead; both are clipped to the file. Either way a span stays one
   * bounded request rather than a header read plus a block read. On the bench VCF this took a
   * region's data read from ~78 KiB to the ~28 KiB its blocks hold (docs/benchmarks.md).
   */
  async plan(region: Region): Promise<Span[]> {
    const id = this.index.refId(region.contig);
    if (id === undefined || region.end <= region.start) return [];
    const chunks = this.index.chunks(id, region.start, Math.min(region.end, Number.MAX_SAFE_INTEGER));
    if (chunks.length === 0) return [];
    const size = await this.dataSize();
    const spans: Span[] = [];
    for (const c of chunks) {
      const start = vo.coffset(c.beg);
      const last = vo.coffset(c.end);
      const end = Math.min(size, vo.uoffset(c.end) > 0 ? Math.min(last + MAX_BLOCK_SIZE, this.index.nextBlockStart(last) ?? Infinity) : last);
      const prev = spans[spans.length - 1];
      if (prev && start <= prev.offset + prev.length) {
        prev.length = Math.max(prev.length, end - prev.offset);
        prev.vend = Math.max(prev.vend, c.end);
        continue;
      }
      spans.push({ offset: start, length: Math.max(0, end - start), vbeg: c.beg, vend: c.end });
    }
    return spans;
  }

  /** The read schedule of a batch of regions: their spans, the units fetched once, what is kept. */
  async planAll(regions: Region[]): Promise<BatchPlan> {
    const perRegion: { region: Region; spans: Span[] }[] = [];
    for (const region of regions) perRegion.push({ region, spans: await this.plan(region) });
    return planBatch(perRegion);
  }

  /** The reads a batch of regions may cost (an upper bound), without reading any data block. */
  async explain(regions: Region[]): Promise<Explain> {
    const plan = await this.planAll(regions);
    const fetches = plan.fetches.map((f) => ({ regions: f.regions.map((r) => regions[r]!), offset: f.offset, length: f.length }));
    return {
      index: { key: this.indexRead.key, bytes: this.indexRead.bytes },
      fetches,
      requests: this.indexRead.requests + (this.size ? 1 : 0) + fetches.length,
      bytes: this.indexRead.bytes + fetches.reduce((n, f) => n + f.length, 0),
    };
  }

  /** Lines (without newline) overlapping the region, in file order. */
  query(region: Region): AsyncGenerator<Uint8Array> {
    return this.queryAll([region]);
  }

  /**
   * Lines overlapping each region, region after region (as htslib's tabix: a line in two
   * overlapping regions comes twice). Planned as one batch: each unit of bytes is fetched once
   * however many regions use it (within the limits of ./batch.ts), fetched only when a region
   * reaches it, and released after the last region needing it.
   */
  async *queryAll(regions: Region[]): AsyncGenerator<Uint8Array> {
    const plan = await this.planAll(regions);
    const resident = new Map<number, Uint8Array>();
    for (let r = 0; r < plan.regions.length; r++) {
      const { region, spans } = plan.regions[r]!;
      const want = Buffer.from(region.contig, 'latin1');
      const config = this.index.config;
      const meta = config.meta.charCodeAt(0);
      spans: for (const { span, unit } of spans) {
        const u = plan.units[unit]!;
        let data = resident.get(unit);
        if (!data) resident.set(unit, (data = await this.reader.fetch(u.offset, u.length)));
        for await (const lines of this.spanLines(data, u.offset, span)) {
          for (const line of lines) {
            if (line.length === 0 || line[0] === meta) continue;
            const rec = parseLine(line[line.length - 1] === 13 ? line.subarray(0, -1) : line, config);
            if (typeof rec === 'string') continue;
            if (!want.equals(line.subarray(rec.nameStart, rec.nameEnd))) continue;
            if (rec.beg >= region.end) break spans; // sorted: nothing further can overlap
            if (rec.end > region.start) yield line;
          }
        }
      }
      const keep = plan.keepAfter[r]!;
      for (const k of [...resident.keys()]) if (!keep.has(k)) resident.delete(k);
    }
  }

  /**
   * The lines of a span (from `vbeg` to `vend`), from the fetched bytes of its unit (which
   * start at file offset `base`). Blocks are inflated a window at a time and the lines of each
   * window handed out together, so only a window of inflated data is live; a line crossing
   * blocks is joined.
   */
  private async *spanLines(data: Uint8Array, base: number, span: Span): AsyncGenerator<Uint8Array[]> {
    const name = this.reader.name;
    const first = vo.coffset(span.vbeg);
    const last = vo.coffset(span.vend);
    const includeLast = vo.uoffset(span.vend) > 0;
    let pos = span.offset - base;
    let carry: Uint8Array | undefined;
    for (let window = 2; ; window = Math.min(window * 2, WINDOW_MAX)) {
      const pending: Promise<{ coffset: number; data: Uint8Array }>[] = [];
      while (pending.length < window) {
        const coffset = base + pos;
        if (coffset > last || (coffset === last && !includeLast)) break;
        const header = parseHeader(data, pos, name, coffset);
        if (header === null) throw new CorruptDataError(`${name}: gzip member at compressed offset ${coffset} is not a BGZF block`);
        if (header === undefined || data.length - pos < header.blockSize) {
          throw new CorruptDataError(`${name}: truncated BGZF block at compressed offset ${coffset} (file or index is corrupt)`);
        }
        const raw = data.subarray(pos, pos + header.blockSize);
        pending.push(decompressBlock(raw, header, name, coffset).then((d) => ({ coffset, data: d })));
        pos += header.blockSize;
      }
      if (pending.length === 0) break;
      const lines: Uint8Array[] = [];
      for (const b of await Promise.all(pending)) {
        const from = b.coffset === first ? vo.uoffset(span.vbeg) : 0;
        const to = b.coffset === last ? vo.uoffset(span.vend) : b.data.length;
        if (to <= from) continue;
        const piece = Buffer.from(b.data.buffer, b.data.byteOffset + from, to - from);
        let at = 0;
        let nl = piece.indexOf(10);
        if (carry) {
          if (nl < 0) {
            carry = Buffer.concat([carry, piece]);
            continue;
          }
          lines.push(Buffer.concat([carry, piece.subarray(0, nl)]));
          carry = undefined;
          at = nl + 1;
          nl = piece.indexOf(10, at);
        }
        for (; nl >= 0; nl = piece.indexOf(10, at)) {
          lines.push(piece.subarray(at, nl));
          at = nl + 1;
        }
        if (at < piece.length) carry = piece.subarray(at);
      }
      if (lines.length > 0) yield lines;
    }
    if (carry && carry.length > 0) yield [carry];
  }

  /** The header lines (meta-character lines and skipped lines at the top), one bounded read at a time. */
  async header(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    const meta = this.index.config.meta.charCodeAt(0);
    let coffset = 0;
    let carry = new Uint8Array(0);
    for (;;) {
      // End of file ends the header; a corrupt block is an error, not the end.
      const block = await this.reader.tryReadBlock(coffset);
      if (!block || block.data.length === 0) break;
      const data = Buffer.concat([carry, block.data]);
      let pos = 0;
      for (;;) {
        const nl = data.indexOf(10, pos);
        if (nl < 0) break;
        const line = data.subarray(pos, nl);
        if (out.length >= this.index.config.skip && line[0] !== meta) return out;
        out.push(line);
        pos = nl + 1;
      }
      carry = data.subarray(pos);
      coffset += block.size;
    }
    return out;
  }
}
