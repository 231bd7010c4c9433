/**
 * The in-memory columnar batch: the currency between layers. The layout follows Arrow so
 * `toArrow` wraps buffers without copying: typed arrays for numbers, LSB-first bitmaps for
 * booleans and validity, offsets + bytes for strings and lists, indices for enums.
 *
 * Invariants every producer keeps (and consumers may rely on):
 * - `values`, `indices` and bitmaps cover exactly `length` rows (bitmaps: ceil(length / 8) bytes);
 * - `offsets` has `length + 1` entries, starts at 0, and `data` / `child` hold exactly
 *   `offsets[length]` bytes / rows;
 * - an optional column's `inner` has the same `length`; null rows hold zero / empty values.
 */
import type { NumericKind, RecordSchema } from './types.js';

export type NumericArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export interface NumericColumn {
  readonly kind: NumericKind;
  readonly length: number;
  readonly values: NumericArray;
}

export interface BoolColumn {
  readonly kind: 'bool';
  readonly length: number;
  /** Bit i (LSB first) of byte i >> 3 is row i. */
  readonly bits: Uint8Array;
}

export interface BinaryColumn {
  readonly kind: 'string' | 'bytes';
  readonly length: number;
  readonly offsets: Int32Array;
  /** Concatenated values (UTF-8 for strings). */
  readonly data: Uint8Array;
}

export interface EnumColumn {
  readonly kind: 'enum';
  readonly length: number;
  readonly indices: Uint8Array | Uint16Array;
  readonly values: readonly string[];
}

export interface OptionalColumn {
  readonly kind: 'optional';
  readonly length: number;
  /** Bit set = value present. */
  readonly validity: Uint8Array;
  readonly nullCount: number;
  readonly inner: Column;
}

export interface ListColumn {
  readonly kind: 'list';
  readonly length: number;
  readonly offsets: Int32Array;
  readonly child: Column;
}

export interface StructColumn {
  readonly kind: 'struct';
  readonly length: number;
  readonly children: Readonly<Record<string, Column>>;
}

export type Column = NumericColumn | BoolColumn | BinaryColumn | EnumColumn | OptionalColumn | ListColumn | StructColumn;

export interface ColumnBatch {
  /** The schema of the columns present (a projection of the full schema after a partial decode). */
  readonly schema: RecordSchema;
  readonly length: number;
  readonly columns: Readonly<Record<string, Column>>;
}

/** Bytes in a bitmap of `n` bits. */
export function bitmapBytes(n: number): number {
  return (n + 7) >>> 3;
}

export function getBit(bits: Uint8Array, i: number): boolean {
  return (bits[i >>> 3]! & (1 << (i & 7))) !== 0;
}

const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >>> 1]!;
  return t;
})();

/** Number of set bits among the first `n` bits. */
export function countSetBits(bits: Uint8Array, n: number): number {
  const full = n >>> 3;
  let c = 0;
  for (let i = 0; i < full; i++) c += POPCOUNT[bits[i]!]!;
  const rest = n & 7;
  if (rest) c += POPCOUNT[bits[full]! & ((1 << rest) - 1)]!;
  return c;
}

/** Typed array constructors by numeric kind. */
export const NUMERIC_ARRAYS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

export type NumericArrayConstructor = (typeof NUMERIC_ARRAYS)[NumericKind];

export function newNumericArray(kind: NumericKind, n: number): NumericArray {
  return new NUMERIC_ARRAYS[kind](n);
}

/** The bytes of a typed array (a view, no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
