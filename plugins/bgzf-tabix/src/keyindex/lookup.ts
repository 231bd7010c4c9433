/**
 * Lookups in a .gki key index over any ObjectStore, by bounded ranged reads only: one head of
 * the index and of the data object, one read of the index's tail (trailer, metadata and usually
 * the whole top table), one read per run of adjacent candidate entry blocks, then one read per
 * coalesced run of the data blocks holding the matching lines. Every line is checked against
 * the key the index gave for it, so a data object changed in place is caught, not misread.
 */
import { NotFoundError, type ObjectStore, PreconditionFailedError, bisect } from '@genolake/core';
import { Reader, type Block, virtualOffset as vo } from '../bgzf/index.js';
import { fromObject } from '../source.js';
import { type BlockInfo, decodeBlock, decodeTop } from './blocks.js';
import { KeyExtractor, compareFolded, compareKeys, equalBytes, hasPrefix } from './keys.js';
import { HEADER_SIZE, type KeyIndexMeta, TRAILER_SIZE, decodeMeta, decodeTrailer } from './layout.js';

/** Bytes read from the end of the index first: trailer, metadata and (usually) the top table. */
export const TAIL_READ = 64 * 1024;
/** Largest single data request; longer runs of blocks are split at a block boundary. */
export const MAX_DATA_REQUEST = 8 * 1024 * 1024;

export interface LookupOptions {
  /** Match keys starting with the given text rather than equal to it. */
  prefix?: boolean;
  /** Ignore ASCII case. */
  ignoreCase?: boolean;
}

/** One bounded read the lookup made or plans: which object, where, and why. */
export interface PlannedRead {
  key: string;
  offset: number;
  length: number;
  what: string;
}

export interface Match {
  key: Uint8Array;
  voffset: number;
  span: number;
}

export interface KeyPlan {
  /** Matching entries, in file order, one per line. */
  matches: Match[];
  /** Coalesced data reads, each `[offset, offset + length)` made of whole BGZF blocks. */
  dataReads: PlannedRead[];
}

export class KeyIndex {
  /** Index reads made so far (heads are counted in `stats`, not listed here). */
  readonly indexReads: PlannedRead[] = [];
  private readonly reader: Reader;
  private readonly decoded = new Map<number, ReturnType<typeof decodeBlock>>();
  private readonly extractor: KeyExtractor;
  private heads = 2;

  private constructor(
    readonly store: ObjectStore,
    readonly dataKey: string,
    readonly indexStore: ObjectStore,
    readonly indexKey: string,
    readonly meta: KeyIndexMeta,
    readonly blocks: BlockInfo[],
    readonly indexSize: number,
    readonly dataSize: number,
    tailReads: PlannedRead[],
  ) {
    this.indexReads.push(...tailReads);
    this.reader = new Reader(fromObject(store, dataKey), { cacheBlocks: 0 });
    this.extractor = new KeyExtractor(meta.spec);
  }

  /**
   * Opens the index of `dataKey`: `index` when given (it may live in another store, e.g. under a
   * dataset's `_index/`), else `${dataKey}.gki` beside it. PreconditionFailedError when the data
   * object's size is not the one the index was built from.
   */
  static async open(store: ObjectStore, dataKey: string, index?: { store?: ObjectStore; key: string }): Promise<KeyIndex> {
    const indexStore = index?.store ?? store;
    const indexKey = index?.key ?? `${dataKey}.gki`;
    const [indexInfo, dataInfo] = await Promise.all([
      indexStore.head(indexKey).catch((e: unknown) => {
        if (e instanceof NotFoundError) throw new NotFoundError(`no key index ${indexKey} for ${dataKey}; build one with: genolake keyindex build -c COL ${dataKey}`, { cause: e });
        throw e;
      }),
      store.head(dataKey),
    ]);
    const size = indexInfo.size;
    const reads: PlannedRead[] = [];
    const get = async (offset: number, length: number, what: string): Promise<Uint8Array> => {
      reads.push({ key: indexKey, offset, length, what });
      return indexStore.get(indexKey, { range: { offset, length } });
    };
    const tailLen = Math.min(size, TAIL_READ);
    const tailAt = size - tailLen;
    const tail = await get(tailAt, tailLen, 'trailer, metadata, top table');
    const t = decodeTrailer(tail.subarray(tail.length - TRAILER_SIZE), size, indexKey);
    const metaAt = size - TRAILER_SIZE - t.metaLength;
    let top: Uint8Array;
    if (metaAt < tailAt) throw new PreconditionFailedError(`${indexKey}: metadata of ${t.metaLength} bytes does not fit the first read; the index is corrupt`);
    const meta = decodeMeta(tail.subarray(metaAt - tailAt, size - TRAILER_SIZE - tailAt), t, indexKey, metaAt);
    if (t.topOffset >= tailAt) top = tail.subarray(t.topOffset - tailAt, metaAt - tailAt);
    else top = Buffer.concat([await get(t.topOffset, tailAt - t.topOffset, 'rest of the top table'), tail.subarray(0, metaAt - tailAt)]);
    const blocks = decodeTop(top, { raw: t.topRaw, crc: t.topCrc, blocks: t.blockCount, entries: t.entryCount, firstOffset: HEADER_SIZE, endOffset: t.topOffset }, indexKey, t.topOffset);
    if (dataInfo.size !== meta.data.size) {
      throw new PreconditionFailedError(
        `${indexKey} is out of date: it was built from ${meta.data.size} bytes of ${meta.data.name} (CRC-32 ${meta.data.crc32.toString(16)}), ` +
          `${dataKey} now has ${dataInfo.size} bytes; rebuild it with: genolake keyindex build -f …`,
      );
    }
    return new KeyIndex(store, dataKey, indexStore, indexKey, meta, blocks, size, dataInfo.size, reads);
  }

  /** Requests and bytes so far (index and data), heads included. */
  get stats(): { requests: number; bytes: number } {
    const idx = this.indexReads.reduce((n, r) => n + r.length, 0);
    return { requests: this.heads + this.indexReads.length + this.reader.stats.requests, bytes: idx + this.reader.stats.bytes };
  }

  /** Blocks `[a, b)` whose key range may hold matches of `probe`. */
  candidates(probe: Uint8Array, o: LookupOptions): [number, number] {
    const cmp = o.prefix || o.ignoreCase ? compareFolded : compareKeys;
    const below = (k: Uint8Array): boolean => cmp(k, probe) < 0;
    const above = (k: Uint8Array): boolean => cmp(k, probe) > 0 && !(o.prefix && hasPrefix(k, probe, true));
    const a = bisect(this.blocks.length, (i) => !below(this.blocks[i]!.last));
    const b = bisect(this.blocks.length, (i) => above(this.blocks[i]!.first));
    return [a, Math.max(a, b)];
  }

  /** Reads (once) and decodes the entry blocks listed, one request per run of adjacent blocks. */
  private async loadBlocks(wanted: number[]): Promise<void> {
    const todo = [...new Set(wanted)].filter((i) => !this.decoded.has(i)).sort((x, y) => x - y);
    const runs: number[][] = [];
    for (const i of todo) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1] === i - 1) run.push(i);
      else runs.push([i]);
    }
    await Promise.all(
      runs.map(async (run) => {
        const first = this.blocks[run[0]!]!;
        const last = this.blocks[run[run.length - 1]!]!;
        const length = last.offset + last.stored - first.offset;
        this.indexReads.push({ key: this.indexKey, offset: first.offset, length, what: `entry blocks ${run[0]}-${run[run.length - 1]}` });
        const bytes = await this.indexStore.get(this.indexKey, { range: { offset: first.offset, length } });
        for (const i of run) {
          const b = this.blocks[i]!;
          this.decoded.set(i, decodeBlock(bytes.subarray(b.offset - first.offset, b.offset - first.offset + b.stored), b, this.indexKey, i));
        }
      }),
    );
  }

  /** The matching entries (file order, one per line) and the data reads that fetch them. */
  async plan(keys: (string | Uint8Array)[], o: LookupOptions = {}): Promise<KeyPlan> {
    const probes = keys.map((k) => (typeof k === 'string' ? Buffer.from(k, 'utf8') : k));
    const ranges = probes.map((p) => this.candidates(p, o));
    const wanted: number[] = [];
    for (const [a, b] of ranges) for (let i = a; i < b; i++) wanted.push(i);
    await this.loadBlocks(wanted);
    const byVoffset = new Map<number, Match>();
    probes.forEach((p, q) => {
      const [a, b] = ranges[q]!;
      for (let i = a; i < b; i++) {
        const d = this.decoded.get(i)!;
        for (let j = 0; j < d.keys.length; j++) {
          const k = d.keys[j]!;
          const hit = o.prefix ? hasPrefix(k, p, !!o.ignoreCase) : equalBytes(k, p, !!o.ignoreCase);
          if (hit && !byVoffset.has(d.voffsets[j]!)) byVoffset.set(d.voffsets[j]!, { key: k, voffset: d.voffsets[j]!, span: d.spans[j]! });
        }
      }
    });
    const matches = [...byVoffset.values()].sort((x, y) => x.voffset - y.voffset);
    return { matches, dataReads: this.coalesce(matches) };
  }

  /** Data ranges: each match needs `[coffset, coffset + span)`; overlapping or touching ones merge. */
  private coalesce(matches: Match[]): PlannedRead[] {
    const out: PlannedRead[] = [];
    for (const m of matches) {
      const start = vo.coffset(m.voffset);
      const end = Math.min(start + m.span, this.dataSize);
      const cur = out[out.length - 1];
      if (cur && start <= cur.offset + cur.length && (start < cur.offset + cur.length || end - cur.offset <= MAX_DATA_REQUEST)) {
        cur.length = Math.max(cur.length, end - cur.offset);
      } else out.push({ key: this.dataKey, offset: start, length: end - start, what: 'data blocks' });
    }
    return out;
  }

  /** Matching lines (without the newline) in file order, each once. */
  async *query(keys: (string | Uint8Array)[], o: LookupOptions = {}): AsyncGenerator<Uint8Array> {
    const { matches, dataReads } = await this.plan(keys, o);
    let m = 0;
    for (const r of dataReads) {
      const blocks = new Map<number, Block>();
      for (const b of await this.reader.readSpan(r.offset, r.length, r.offset + r.length, false)) blocks.set(b.coffset, b);
      const end = r.offset + r.length;
      for (; m < matches.length && vo.coffset(matches[m]!.voffset) < end; m++) yield this.lineAt(matches[m]!, blocks);
    }
  }

  /** The line at a match, from blocks already read; checks that it still carries the key. */
  private lineAt(match: Match, blocks: Map<number, Block>): Uint8Array {
    let c = vo.coffset(match.voffset);
    let u = vo.uoffset(match.voffset);
    const parts: Uint8Array[] = [];
    for (let b = blocks.get(c); b; b = blocks.get(c)) {
      const nl = b.data.indexOf(10, u);
      if (nl >= 0) {
        parts.push(b.data.subarray(u, nl));
        break;
      }
      parts.push(b.data.subarray(u));
      c += b.size;
      u = 0;
    }
    let line = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, -1);
    let found = false;
    this.extractor.extract(line, 0, line.length, (s, e) => {
      if (!found && equalBytes(line.subarray(s, e), match.key, false)) found = true;
    });
    if (!found) {
      throw new PreconditionFailedError(
        `${this.indexKey} is out of date or corrupt: the line at ${this.dataKey} virtual offset ${vo.format(match.voffset)} does not carry key ` +
          `"${Buffer.from(match.key).toString('utf8')}"; rebuild it with: genolake keyindex build -f …`,
      );
    }
    return line;
  }
}
