/**
 * Per-field zone-map statistics of a batch, for the manifest (ChunkEntry.stats) and the chunk
 * header. Scalars only: numbers, bigints (as decimal strings), booleans, enums (by value
 * string order), strings (UTF-8 byte order, i.e. code point order). Struct children are named
 * with dotted paths; list contents are skipped (a min over all items prunes little).
 * `count` is the number of records and `nulls` how many are null (an absent optional, or
 * one inside an absent optional struct). min/max are omitted when unknown: every value
 * null, a non-finite float, or a string longer than MAX_STRING_STAT bytes.
 */
import type { FieldStats } from '../dataset/types.js';
import { bitmapBytes, countSetBits, getBit, type Column, type ColumnBatch } from './column.js';
import type { RecordSchema } from './types.js';

/** Longest string kept as a bound; longer bounds (sequences, qualities) are useless for pruning. */
export const MAX_STRING_STAT = 256;

const decoder = new TextDecoder();

function compareRanges(data: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let k = 0; k < n; k++) {
    const d = data[a0 + k]! - data[b0 + k]!;
    if (d !== 0) return d;
  }
  return a1 - a0 - (b1 - b0);
}

function andBits(a: Uint8Array | null, b: Uint8Array, n: number): Uint8Array {
  if (!a) return b;
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

function withBounds(stats: FieldStats, min: FieldStats['min'], max: FieldStats['max']): FieldStats {
  if (min !== undefined && max !== undefined) {
    stats.min = min;
    stats.max = max;
  }
  return stats;
}

function scalarStats(col: Column, n: number, valid: Uint8Array | null): FieldStats | undefined {
  const nulls = valid ? n - countSetBits(valid, n) : 0;
  const stats: FieldStats = { count: n, nulls };
  if (nulls === n) return stats;
  const has = (i: number) => valid === null || getBit(valid, i);
  switch (col.kind) {
    case 'bool': {
      let seenTrue = false;
      let seenFalse = false;
      for (let i = 0; i < n; i++) if (has(i)) (getBit(col.bits, i) ? (seenTrue = true) : (seenFalse = true));
      return withBounds(stats, !seenFalse, seenTrue);
    }
    case 'string': {
      const { offsets, data } = col;
      let lo = -1;
      let hi = -1;
      for (let i = 0; i < n; i++) {
        if (!has(i)) continue;
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        if (lo < 0 || compareRanges(data, s, e, offsets[lo]!, offsets[lo + 1]!) < 0) lo = i;
        if (hi < 0 || compareRanges(data, s, e, offsets[hi]!, offsets[hi + 1]!) > 0) hi = i;
      }
      const text = (i: number) =>
        offsets[i + 1]! - offsets[i]! > MAX_STRING_STAT ? undefined : decoder.decode(data.subarray(offsets[i]!, offsets[i + 1]!));
      return withBounds(stats, text(lo), text(hi));
    }
    case 'bytes': return stats;
    case 'enum': {
      const seen = new Uint8Array(col.values.length);
      for (let i = 0; i < n; i++) if (has(i)) seen[col.indices[i]!] = 1;
      let min: string | undefined;
      let max: string | undefined;
      for (let v = 0; v < seen.length; v++) {
        if (!seen[v]) continue;
        const s = col.values[v]!;
        if (min === undefined || s < min) min = s;
        if (max === undefined || s > max) max = s;
      }
      return withBounds(stats, min, max);
    }
    case 'int64': case 'uint64': {
      const v = col.values as BigInt64Array;
      let min: bigint | undefined;
      let max: bigint | undefined;
      for (let i = 0; i < n; i++) {
        if (!has(i)) continue;
        const x = v[i]!;
        if (min === undefined || x < min) min = x;
        if (max === undefined || x > max) max = x;
      }
      return withBounds(stats, min?.toString(), max?.toString());
    }
    case 'optional': case 'list': case 'struct': return undefined;
    default: {
      const v = col.values as Float64Array;
      let min = Infinity;
      let max = -Infinity;
      let any = false;
      for (let i = 0; i < n; i++) {
        if (valid !== null && !getBit(valid, i)) continue;
        const x = v[i]!;
        if (x !== x) continue; // NaN says nothing about the range
        any = true;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      // ±Infinity has no JSON form: leave the bound unknown rather than wrong.
      return any && Number.isFinite(min) && Number.isFinite(max) ? withBounds(stats, min, max) : stats;
    }
  }
}

function collect(col: Column, path: string, n: number, valid: Uint8Array | null, out: Record<string, FieldStats>): void {
  switch (col.kind) {
    case 'optional': collect(col.inner, path, n, andBits(valid, col.validity, n), out); return;
    case 'struct':
      for (const name in col.children) collect(col.children[name]!, `${path}.${name}`, n, valid, out);
      return;
    case 'list': return;
    default: {
      const s = scalarStats(col, n, valid);
      if (s) out[path] = s;
    }
  }
}

/** Stats of every scalar field (dotted names inside structs) of the batch's columns. */
export function computeStats(schema: RecordSchema, batch: ColumnBatch): Record<string, FieldStats> {
  const out: Record<string, FieldStats> = {};
  for (const name of Object.keys(schema.fields)) {
    const col = batch.columns[name];
    if (col) collect(col, name, batch.length, null, out);
  }
  return out;
}
