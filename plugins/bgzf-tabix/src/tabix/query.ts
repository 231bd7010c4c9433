/**
 * Region queries on a tabix/CSI-indexed BGZF object: reads the index once, turns each region's
 * chunks into bounded ranged reads (adjacent and overlapping chunks coalesced; one request for
 * the whole blocks of a span, two for a partially needed last block), inflates the blocks and
 * keeps the lines that overlap the region. Output order and duplicates follow htslib's tabix:
 * regions are answered one after another, so overlapping regions repeat lines.
 */
import { NotFoundError, type ObjectStore, type Region } from '@genolake/core';
import type { BinningIndex } from '../binning/index.js';
import type { ByteSource } from '@genolake/core/plugin';
import { MAX_BLOCK_SIZE } from '../bgzf/block.js';
import { Reader, type ReadStats } from '../bgzf/reader.js';
import * as vo from '../bgzf/virtual-offset.js';
import { fromObject } from '../source.js';
import { decodeCsi } from '../csi/csi.js';
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

/** What a query costs, for `tabix --explain`: the index read, then each ranged read. */
export interface Explain {
  index: { key: string; bytes: number };
  spans: { region: Region; offset: number; length: number }[];
  /** Requests and bytes including the index (head + ranged get). */
  requests: number;
  bytes: number;
}

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
   * request. A chunk ending inside a block needs that block whole, whose size is only known
   * from its header: the request then extends by the largest block size (64 KiB), clipped to
   * the file, so each span stays one bounded request instead of a header read plus a block read.
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
      const end = Math.min(size, vo.uoffset(c.end) > 0 ? vo.coffset(c.end) + MAX_BLOCK_SIZE : vo.coffset(c.end));
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

  /** The reads regions would cost, without reading any data block. */
  async explain(regions: Region[]): Promise<Explain> {
    const spans: Explain['spans'] = [];
    for (const region of regions) for (const s of await this.plan(region)) spans.push({ region, offset: s.offset, length: s.length });
    return {
      index: { key: this.indexRead.key, bytes: this.indexRead.bytes },
      spans,
      requests: this.indexRead.requests + (this.size ? 1 : 0) + spans.length,
      bytes: this.indexRead.bytes + spans.reduce((n, s) => n + s.length, 0),
    };
  }

  /** Uncompressed bytes of a span, from vbeg to vend. */
  private async spanBytes(span: Span): Promise<Uint8Array> {
    const blocks = await this.reader.readSpan(span.offset, span.length, vo.coffset(span.vend), vo.uoffset(span.vend) > 0);
    const parts: Uint8Array[] = [];
    for (const b of blocks) {
      const from = b.coffset === vo.coffset(span.vbeg) ? vo.uoffset(span.vbeg) : 0;
      const to = b.coffset === vo.coffset(span.vend) ? vo.uoffset(span.vend) : b.data.length;
      if (to > from) parts.push(b.data.subarray(from, to));
    }
    return Buffer.concat(parts);
  }

  /** Lines (without newline) overlapping the region, in file order. */
  async *query(region: Region): AsyncGenerator<Uint8Array> {
    const want = Buffer.from(region.contig, 'latin1');
    const config = this.index.config;
    const meta = config.meta.charCodeAt(0);
    for (const span of await this.plan(region)) {
      const bytes = await this.spanBytes(span);
      let pos = 0;
      while (pos < bytes.length) {
        let nl = bytes.indexOf(10, pos);
        if (nl < 0) nl = bytes.length;
        const line = bytes.subarray(pos, nl);
        pos = nl + 1;
        if (line.length === 0 || line[0] === meta) continue;
        const r = parseLine(line[line.length - 1] === 13 ? line.subarray(0, -1) : line, config);
        if (typeof r === 'string') continue;
        if (!want.equals(line.subarray(r.nameStart, r.nameEnd))) continue;
        if (r.beg >= region.end) return; // sorted: nothing further can overlap
        if (r.end > region.start) yield line;
      }
    }
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
