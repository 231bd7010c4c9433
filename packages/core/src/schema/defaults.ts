/**
 * Default codec pipelines per field kind, used when a schema does not say `.codec(...)`.
 * Chosen by measurement on 1M synthetic alignment-like values (bytes per value after
 * encoding; docs/formats/chunk.md has the full table):
 * - 32/64-bit numbers: byte transposition groups the (mostly zero) high bytes, so
 *   'transpose|zstd:3' beats plain 'zstd:3': name lengths u32 0.44 vs 0.70, sorted i32
 *   0.78 vs 2.16, timestamps i64 1.64 vs 2.04, f32 3.07 vs 3.49.
 * - 8/16-bit numbers, enum indices, bitmaps: plain zstd. Transposition is a no-op on bytes and
 *   was a coin toss on u16 flags (0.40 vs 0.44 on one sample, 0.61 vs 0.51 on another).
 * - strings and bytes: 'zstd:3' (read names 0.18 of raw; level 6+ gains ~5% at 2x encode time).
 * A field whose data has structure the defaults cannot see should name its own pipeline:
 * sorted positions 'delta|zigzag|varint|zstd:3' (0.40 B/value), nucleotides 'nuc2bit|zstd:3'.
 */
export const DEFAULT_PIPELINES = Object.freeze({
  int8: 'zstd:3',
  uint8: 'zstd:3',
  int16: 'zstd:3',
  uint16: 'zstd:3',
  int32: 'transpose|zstd:3',
  uint32: 'transpose|zstd:3',
  int64: 'transpose|zstd:3',
  uint64: 'transpose|zstd:3',
  float32: 'transpose|zstd:3',
  float64: 'transpose|zstd:3',
  bool: 'zstd:1',
  string: 'zstd:3',
  bytes: 'zstd:3',
  enum: 'zstd:3',
  /** u32 lengths of strings, bytes and lists. */
  length: 'transpose|zstd:3',
  /** Presence bitmaps of optional fields. */
  present: 'zstd:1',
});
