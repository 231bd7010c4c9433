/**
 * Sorted-key index (CARGO's range query on presorted records): the keys of every record, in
 * key order, sampled every `sampleEvery` records. A lookup bisects the samples (O(log N)) and
 * returns the stretch of records between the samples that bracket the query, so it reads
 * O(n + sampleEvery) records and never misses one. Where each record lives is kept as runs
 * (one chunk, consecutive ordinals), so data written in key order costs one run per chunk;
 * a secondary index over unsorted data costs one run per record.
 */
import { InvalidArgumentError } from '../errors.js';
import { compareKeys } from './key-order.js';
import { decodeSortedKey, encodeSortedKey, type SortedKeyType, type SortedKeyData } from './sorted-key-codec.js';
import type { ChunkSelection, Index, IndexKey, IndexQuery } from './types.js';
import { bisect } from '../util/bisect.js';

export interface SortedKeyEntry {
  key: IndexKey;
  /** Chunk object key. */
  chunk: string;
  /** Record number inside the chunk, 0-based. */
  ordinal: number;
}

export interface KeyRangeHit {
  chunk: string;
  fromOrdinal: number;
  /** Exclusive. */
  toOrdinal: number;
}

const MAX_U32 = 0xffffffff;

function typeOf(key: IndexKey): SortedKeyType {
  return typeof key === 'string' ? 'string' : typeof key === 'bigint' ? 'bigint' : 'number';
}

export class SortedKeyIndex implements Index {
  readonly kind = 'sorted-key';
  /** First entry number of each run (prefix sums of run lengths). */
  private readonly runStart: Float64Array;

  private constructor(private readonly d: SortedKeyData) {
    this.runStart = new Float64Array(d.runLength.length);
    let at = 0;
    for (let r = 0; r < d.runLength.length; r++) {
      this.runStart[r] = at;
      at += d.runLength[r]!;
    }
  }

  /** Builds from entries already in key order (InvalidArgumentError otherwise), in one pass. */
  static build(entries: Iterable<SortedKeyEntry>, options?: { sampleEvery?: number }): SortedKeyIndex {
    const sampleEvery = options?.sampleEvery ?? 1024;
    if (!Number.isSafeInteger(sampleEvery) || sampleEvery < 1 || sampleEvery > MAX_U32) {
      throw new InvalidArgumentError(`sorted-key index: sampleEvery must be a positive integer, got ${sampleEvery}`);
    }
    let keyType: SortedKeyType | undefined;
    const chunkIds = new Map<string, number>();
    const runChunk: number[] = [];
    const runFirst: number[] = [];
    const runLength: number[] = [];
    const samples: IndexKey[] = [];
    let prev: SortedKeyEntry | undefined;
    let n = 0;
    for (const e of entries) {
      const t = typeOf(e.key);
      keyType ??= t;
      if (t !== keyType) throw new InvalidArgumentError(`sorted-key index: entry ${n} has a ${t} key, earlier keys are ${keyType}`);
      if (t === 'number' && Number.isNaN(e.key)) throw new InvalidArgumentError(`sorted-key index: entry ${n} has a NaN key`);
      if (!Number.isSafeInteger(e.ordinal) || e.ordinal < 0 || e.ordinal >= MAX_U32) {
        throw new InvalidArgumentError(`sorted-key index: entry ${n} has bad ordinal ${e.ordinal} in chunk ${e.chunk}`);
      }
      if (prev && compareKeys(prev.key, e.key) > 0) {
        throw new InvalidArgumentError(`sorted-key index: entries are not sorted: entry ${n} (${String(e.key)}) comes after ${String(prev.key)}`);
      }
      let c = chunkIds.get(e.chunk);
      if (c === undefined) chunkIds.set(e.chunk, (c = chunkIds.size));
      const last = runChunk.length - 1;
      if (last >= 0 && runChunk[last] === c && runFirst[last]! + runLength[last]! === e.ordinal && runLength[last]! < MAX_U32) {
        runLength[last]!++;
      } else {
        runChunk.push(c);
        runFirst.push(e.ordinal);
        runLength.push(1);
      }
      if (n % sampleEvery === 0) samples.push(e.key);
      prev = e;
      n++;
    }
    if (prev) samples.push(prev.key);
    return new SortedKeyIndex({
      keyType: keyType ?? 'string',
      sampleEvery,
      records: n,
      chunks: [...chunkIds.keys()],
      runChunk: Uint32Array.from(runChunk),
      runFirst: Uint32Array.from(runFirst),
      runLength: Uint32Array.from(runLength),
      samples,
    });
  }

  /** Reads a serialized index; CorruptDataError naming `name` when the bytes do not check out. */
  static load(bytes: Uint8Array, name: string): SortedKeyIndex {
    return new SortedKeyIndex(decodeSortedKey(bytes, name));
  }

  serialize(): Uint8Array {
    return encodeSortedKey(this.d);
  }

  get keyType(): SortedKeyType {
    return this.d.keyType;
  }
  get records(): number {
    return this.d.records;
  }
  get sampleEvery(): number {
    return this.d.sampleEvery;
  }
  /** Chunk keys the index covers, in order of first appearance. */
  get chunks(): readonly string[] {
    return this.d.chunks;
  }

  /** Brings a query key to the index's key type; `side` rounds fractional bounds inward. */
  private coerce(key: IndexKey, side: 'lo' | 'hi'): IndexKey | null {
    const t = this.d.keyType;
    if (typeof key === 'string' || t === 'string') {
      if (typeof key !== t) throw new InvalidArgumentError(`sorted-key index holds ${t} keys, the query gave ${typeof key} ${String(key)}`);
      return key;
    }
    if (t === 'number') return Number(key);
    if (typeof key === 'bigint') return key;
    if (Number.isNaN(key)) throw new InvalidArgumentError('sorted-key index: NaN query key');
    if (!Number.isFinite(key)) return null; // an infinite bound is an open bound on int64 keys
    return BigInt(side === 'lo' ? Math.ceil(key) : Math.floor(key));
  }

  /**
   * Records with lo <= key <= hi, as chunk ordinal ranges in key order. May include up to
   * sampleEvery - 1 extra records at each end; never misses one.
   */
  lookupRange(lo?: IndexKey, hi?: IndexKey): KeyRangeHit[] {
    if (this.d.records === 0) return []; // an empty index has no key type to check against
    const l = lo === undefined ? null : this.coerce(lo, 'lo');
    const h = hi === undefined ? null : this.coerce(hi, 'hi');
    if (l !== null && h !== null && compareKeys(l, h) > 0) return [];
    return this.scan(
      (k) => l !== null && compareKeys(k, l) < 0,
      (k) => h !== null && compareKeys(k, h) > 0,
    );
  }

  /** Records whose string key starts with `prefix` (over-approximated as lookupRange). */
  lookupPrefix(prefix: string): KeyRangeHit[] {
    if (this.d.records === 0) return [];
    if (this.d.keyType !== 'string') throw new InvalidArgumentError(`sorted-key index holds ${this.d.keyType} keys; a prefix lookup needs string keys`);
    // Keys with the prefix are contiguous in code-point order, right after the prefix itself.
    return this.scan(
      (k) => compareKeys(k, prefix) < 0,
      (k) => compareKeys(k, prefix) > 0 && !(k as string).startsWith(prefix),
    );
  }

  /**
   * The entries between the last sample that is `below` the range and the first that is
   * `above` it. Both predicates are monotone over the sorted samples.
   */
  private scan(below: (k: IndexKey) => boolean, above: (k: IndexKey) => boolean): KeyRangeHit[] {
    const { samples, sampleEvery, records } = this.d;
    if (records === 0 || below(samples[samples.length - 1]!)) return [];
    const regular = samples.length - 1; // the last sample is entry N-1, not on the grid
    const firstNotBelow = bisect(regular, (j) => !below(samples[j]!));
    const firstAbove = bisect(regular, (j) => above(samples[j]!));
    const from = firstNotBelow === 0 ? 0 : (firstNotBelow - 1) * sampleEvery + 1;
    const to = firstAbove === regular ? records : firstAbove * sampleEvery;
    return from < to ? this.entriesToHits(from, to) : [];
  }

  /** Maps entry numbers [from, to) to chunk ordinal ranges through the runs. */
  private entriesToHits(from: number, to: number): KeyRangeHit[] {
    const { runChunk, runFirst, runLength, chunks } = this.d;
    const starts = this.runStart;
    let r = bisect(starts.length, (i) => starts[i]! > from) - 1;
    const out: KeyRangeHit[] = [];
    for (; r < starts.length && starts[r]! < to; r++) {
      const a = Math.max(from, starts[r]!);
      const b = Math.min(to, starts[r]! + runLength[r]!);
      const chunk = chunks[runChunk[r]!]!;
      const fromOrdinal = runFirst[r]! + (a - starts[r]!);
      const toOrdinal = fromOrdinal + (b - a);
      const prev = out[out.length - 1];
      if (prev && prev.chunk === chunk && prev.toOrdinal === fromOrdinal) prev.toOrdinal = toOrdinal;
      else out.push({ chunk, fromOrdinal, toOrdinal });
    }
    return out;
  }

  /**
   * Index contract: `keys` (point lookups) when given, else `keyPrefix`, else `keyRange`, else
   * every record. Using one criterion when several are given over-approximates, as allowed.
   */
  async lookup(query: IndexQuery): Promise<ChunkSelection[]> {
    let hits: KeyRangeHit[];
    if (query.keys) hits = query.keys.flatMap((k) => this.lookupRange(k, k));
    else if (query.keyPrefix !== undefined) hits = this.lookupPrefix(query.keyPrefix);
    else hits = this.lookupRange(query.keyRange?.lo, query.keyRange?.hi);
    return mergeSelections(hits, this.d.chunks);
  }
}

/** Sorts by chunk (index order) then ordinal, and merges overlapping or touching ranges. */
export function mergeSelections(hits: KeyRangeHit[], chunkOrder: readonly string[]): ChunkSelection[] {
  const rank = new Map(chunkOrder.map((c, i) => [c, i]));
  const sorted = [...hits].sort((a, b) => rank.get(a.chunk)! - rank.get(b.chunk)! || a.fromOrdinal - b.fromOrdinal);
  const out: KeyRangeHit[] = [];
  for (const h of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.chunk === h.chunk && h.fromOrdinal <= prev.toOrdinal) prev.toOrdinal = Math.max(prev.toOrdinal, h.toOrdinal);
    else out.push({ ...h });
  }
  return out;
}
