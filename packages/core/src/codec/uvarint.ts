/**
 * Unsigned LEB128 for small header fields (counts, lengths, positions up to 2^53). The
 * varint *codec* has its own allocation-free loops; this is for a handful of numbers.
 */
import { CorruptDataError } from '../errors.js';

export function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes `v` at `pos`, returns the position after it. */
export function writeUvarint(out: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    out[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}

/** A read cursor over header bytes; `what` names the object in error messages. */
export class UvarintReader {
  pos = 0;
  constructor(
    readonly data: Uint8Array,
    readonly what: string,
  ) {}

  read(): number {
    const { data } = this;
    let v = 0;
    let scale = 1;
    const start = this.pos;
    for (;;) {
      if (this.pos >= data.length) throw new CorruptDataError(`${this.what}: truncated varint at byte ${start}`);
      const b = data[this.pos++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
      if (scale > 2 ** 49) throw new CorruptDataError(`${this.what}: varint too long at byte ${start}`);
    }
    return v;
  }

  byte(): number {
    if (this.pos >= this.data.length) throw new CorruptDataError(`${this.what}: truncated at byte ${this.pos}`);
    return this.data[this.pos++]!;
  }
}
