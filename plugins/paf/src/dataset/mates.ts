/**
 * Mate fields relative to the record (chunks marked `extra.mates = 'relative'`): when the
 * mate is on the chunk's reference, `nextPos` is stored as `nextPos - pos` (the insert size
 * give or take a read, not a 4-byte position) and `tlen` as `tlen - (nextPos - pos)`, which
 * for a proper pair is the mate's or the read's own span (+mate span on the left read,
 * -own span on the right one): a handful of distinct values. Arithmetic wraps at 32 bits
 * both ways, so every int32 value round-trips.
 */
import type { ColumnBatch, NumericColumn } from '@genolake/core';

export const MATES_RELATIVE = 'relative';

/** Stored [nextPos, tlen] of a record on reference `refId`, into `out`. */
export function relativeMate(refId: number, pos: number, nextRefId: number, nextPos: number, tlen: number, out: Int32Array): void {
  if (refId >= 0 && nextRefId === refId) {
    const d = (nextPos - pos) | 0;
    out[0] = d;
    out[1] = (tlen - d) | 0;
  } else {
    out[0] = nextPos;
    out[1] = tlen;
  }
}

/** Turns the stored columns of a decoded batch back into nextPos and tlen, in place. */
export function restoreMates(batch: ColumnBatch, refId: number): void {
  const c = batch.columns;
  const next = (c.nextPos as NumericColumn | undefined)?.values as Int32Array | undefined;
  if (!next || refId < 0) return;
  const pos = (c.pos as NumericColumn).values as Int32Array;
  const nextRef = (c.nextRefId as NumericColumn).values as Int32Array;
  const tlen = (c.tlen as NumericColumn | undefined)?.values as Int32Array | undefined;
  for (let i = 0; i < batch.length; i++) {
    if (nextRef[i] !== refId) continue;
    const d = next[i]!;
    next[i] = (d + pos[i]!) | 0;
    if (tlen) tlen[i] = (tlen[i]! + d) | 0;
  }
}
