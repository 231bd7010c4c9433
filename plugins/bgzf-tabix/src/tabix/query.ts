/**
 * Region queries on a tabix/CSI-indexed BGZF object: reads the index once, turns each region's
 * chunks into bounded ranged reads (adjacent and overlapping chunks coalesced; one request for
 * the whole blocks of a span, two for a partially needed last block), inflates the blocks and
 * keeps the lines that overlap the region. Output order and duplicates follow htslib's tabix:
 * regions are answered one after another, so overlapping regions repeat lines.
 */
import { NotFoundError, type ObjectStore, type Region } from '@genolake/core';
import type { BinningIndex } from '../binning/index.js';
import { Reader, type ReadStats } from '../bgzf/reader.js';
import type { Block } from '../bgzf/stream.js';
import * as vo from '../bgzf/virtual-offset.js';
import { fromObject } from '../source.js';
import { decodeCsi } from '../csi/csi.js';
import { parseLine } from './record.js';
import { decodeTbi } from './tbi.js';

/** One planned read: whole blocks in `[start, end)`, plus the block at `tail` when needed. */
export interface Span {
  start: number;
  end: number;
  tail?: number;
  /** Virtual offsets bounding the records wanted. */
  vbeg: vo.VirtualOffset;
  vend: vo.VirtualOffset;
}

/** Loads the index of `key`: `indexKey` if given, else `key.tbi`, then `key.csi`. */
export async function loadIndex(store: ObjectStore, key: string, indexKey?: string): Promise<BinningIndex> {
  const candidates = indexKey ? [indexKey] : [`${key}.tbi`, `${key}.csi`];
  for (const k of candidates) {
    let bytes: Uint8Array;
    try {
      bytes = await store.get(k);
    } catch (e) {
      if (e instanceof NotFoundError && !indexKey) continue;
      throw e;
    }
    return k.endsWith('.csi') ? decodeCsi(bytes, k) : decodeTbi(bytes, k);
  }
  throw new NotFoundError(`no index for ${key} (looked for ${candidates.join(', ')}); build one with: genolake tabix ${key}`);
}

export class IndexedFile {
  readonly reader: Reader;

  constructor(
    readonly index: BinningIndex,
    store: ObjectStore,
    readonly key: string,
  ) {
    this.reader = new Reader(fromObject(store, key), { cacheBlocks: 8 });
  }

  static async open(store: ObjectStore, key: string, indexKey?: string): Promise<IndexedFile> {
    return new IndexedFile(await loadIndex(store, key, indexKey), store, key);
  }

  get stats(): ReadStats {
    return this.reader.stats;
  }

  /** Planned reads for a region (empty for a contig the index does not know, as tabix). */
  plan(region: Region): Span[] {
    const id = this.index.refId(region.contig);
    if (id === undefined) return [];
    const end = Math.min(region.end, Number.MAX_SAFE_INTEGER);
    const spans: Span[] = [];
    for (const c of this.index.chunks(id, region.start, end)) {
      const start = vo.coffset(c.beg);
      const last = vo.coffset(c.end);
      const tail = vo.uoffset(c.end) > 0 ? last : undefined;
      const prev = spans[spans.length - 1];
      // Coalesce when this chunk starts in a block the previous span already reads.
      if (prev && start <= (prev.tail ?? prev.end)) {
        prev.end = Math.max(prev.end, last);
        prev.tail = tail !== undefined && tail >= prev.end ? tail : prev.tail !== undefined && prev.tail >= prev.end ? prev.tail : undefined;
        prev.vend = Math.max(prev.vend, c.end);
        continue;
      }
      spans.push({ start, end: last, tail, vbeg: c.beg, vend: c.end });
    }
    return spans;
  }

  /** Uncompressed bytes of a span, from vbeg to vend. */
  private async spanBytes(span: Span): Promise<Uint8Array> {
    const blocks: Block[] = span.end > span.start ? await this.reader.readBlocks(span.start, span.end) : [];
    if (span.tail !== undefined) blocks.push(await this.reader.readBlock(span.tail));
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
    for (const span of this.plan(region)) {
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
      let block: Block;
      try {
        block = await this.reader.readBlock(coffset);
      } catch {
        break;
      }
      if (block.data.length === 0) break;
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
