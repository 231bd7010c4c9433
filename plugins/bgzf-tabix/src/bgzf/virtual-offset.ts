/**
 * Virtual file offsets (SAMv1 §4.1.1): `coffset << 16 | uoffset`, where coffset is the file
 * offset of a block and uoffset the offset inside its uncompressed data.
 *
 * We keep them as plain JS numbers (`coffset * 65536 + uoffset`) rather than bigint: they are
 * compared and sorted on every record while indexing, and number arithmetic is several times
 * faster than bigint. A double holds every integer below 2^53 exactly, so this is exact while
 * coffset < 2^37, i.e. for BGZF files up to 128 GiB compressed. Larger offsets raise
 * UnsupportedError instead of silently rounding.
 */
import { CorruptDataError, UnsupportedError } from '@genolake/core';

export type VirtualOffset = number;

/** Largest compressed offset whose virtual offset is still exact in a double. */
export const MAX_COFFSET = 2 ** 37 - 1;

export function make(coffset: number, uoffset: number): VirtualOffset {
  if (coffset > MAX_COFFSET) {
    throw new UnsupportedError(`BGZF compressed offset ${coffset} is beyond 128 GiB, not supported by this reader`);
  }
  return coffset * 65536 + uoffset;
}

/** File offset of the block. */
export function coffset(v: VirtualOffset): number {
  return Math.floor(v / 65536);
}

/** Offset inside the block's uncompressed data. */
export function uoffset(v: VirtualOffset): number {
  return v % 65536;
}

/** Reads a little-endian u64 virtual offset; `what` names the file for errors. */
export function read(dv: DataView, pos: number, what: string): VirtualOffset {
  const lo = dv.getUint32(pos, true);
  const hi = dv.getUint32(pos + 4, true);
  if (hi >= 2 ** 21) {
    // 2^64-1 and similar sentinels are handled by callers before this; anything else is huge.
    if (hi === 0xffffffff && lo === 0xffffffff) return Number.MAX_SAFE_INTEGER;
    throw new CorruptDataError(`${what}: virtual offset at byte ${pos} exceeds 2^53 (corrupt index or file > 128 GiB)`);
  }
  return hi * 2 ** 32 + lo;
}

/** Writes `v` as a little-endian u64. */
export function write(dv: DataView, pos: number, v: VirtualOffset): void {
  dv.setUint32(pos, v % 2 ** 32, true);
  dv.setUint32(pos + 4, Math.floor(v / 2 ** 32), true);
}

/** Text form used by `--explain` and messages: `coffset:uoffset`. */
export function format(v: VirtualOffset): string {
  return `${coffset(v)}:${uoffset(v)}`;
}
