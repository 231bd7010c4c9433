/** Unsigned LEB128 numbers in the small headers of the paf codecs' streams. */
import { CorruptDataError } from '@genolake/core';

/** Appends `v` (an unsigned integer below 2^53) to `out`. */
export function putVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** A read cursor over codec bytes; `what` names the codec in error messages. */
export class VarintReader {
  constructor(readonly data: Uint8Array, public pos: number, readonly what: string) {}

  read(): number {
    let v = 0, scale = 1;
    for (;;) {
      if (this.pos >= this.data.length) throw new CorruptDataError(`codec ${this.what}: truncated header`);
      const b = this.data[this.pos++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
      if (scale > 2 ** 49) throw new CorruptDataError(`codec ${this.what}: varint too long`);
    }
  }

  byte(): number {
    if (this.pos >= this.data.length) throw new CorruptDataError(`codec ${this.what}: truncated header`);
    return this.data[this.pos++]!;
  }
}

/** `head` then `body` as one array. */
export function concat(head: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}
