/**
 * BCF 2.2 typed values (VCFv4.3 §6.3.3): a descriptor byte holds the element type in its low
 * nibble and the element count in its high nibble; a count of 15 means the real count follows
 * as a typed integer. Each integer width reserves its lowest values as sentinels: the smallest
 * is "missing" and the next "end of vector" (padding after a shorter per-sample vector). Floats
 * use two NaN bit patterns for the same purposes; characters pad with NUL.
 */
import { CorruptDataError } from '@genolake/core';

export const MISSING_TYPE = 0;
export const INT8 = 1;
export const INT16 = 2;
export const INT32 = 3;
export const FLOAT = 5;
export const CHAR = 7;

/** Bytes per element, by type code; 0 for codes BCF 2.2 does not define. */
export const WIDTH = [0, 1, 2, 4, 0, 4, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];

export const INT8_MISSING = -128;
export const INT8_END = -127;
export const INT16_MISSING = -32768;
export const INT16_END = -32767;
export const INT32_MISSING = -2147483648;
export const INT32_END = -2147483647;
export const FLOAT_MISSING = 0x7f800001;
export const FLOAT_END = 0x7f800002;
/** A Character value that is missing. */
export const CHAR_MISSING = 0x07;

/** Where a decoding problem sits, for messages. */
export interface Place {
  name: string;
  /** 1-based record number. */
  record: number;
  /** Offset of the record in the decompressed stream. */
  recordOffset: number;
  /** Offset of `bytes[0]` in the decompressed stream. */
  base: number;
}

/** A bounded read position over one record part, with typed-value primitives. */
export class Cursor {
  p = 0;
  end = 0;
  /** Element type of the last descriptor read. */
  type = 0;
  constructor(public bytes: Uint8Array, public view: DataView, readonly place: Place) {}

  fail(message: string, at = this.p): never {
    const pl = this.place;
    throw new CorruptDataError(`${pl.name}: BCF record ${pl.record} (at byte offset ${pl.recordOffset} of the decompressed data): ${message} (byte offset ${pl.base + at})`);
  }

  need(n: number, what: string): void {
    if (this.p + n > this.end) this.fail(`${what} runs past the end of its record part (${n} bytes needed, ${this.end - this.p} left)`);
  }

  /** Reads a descriptor: sets `type` and returns the element count. */
  descriptor(what: string): number {
    this.need(1, what);
    const d = this.bytes[this.p++]!;
    const t = d & 15;
    if (t !== MISSING_TYPE && WIDTH[t] === 0) this.fail(`${what} has type code ${t}, not a BCF 2.2 type`, this.p - 1);
    let n = d >> 4;
    if (n === 15) {
      n = this.typedInt(`${what} (its count)`);
      if (n < 0) this.fail(`${what} has a negative element count ${n}`);
    }
    this.type = t;
    this.need(n * WIDTH[t]!, what);
    return n;
  }

  /** One raw integer element of `type` (sentinels not interpreted). */
  int(type: number): number {
    const p = this.p;
    if (type === INT8) {
      this.p = p + 1;
      return (this.bytes[p]! << 24) >> 24;
    }
    if (type === INT16) {
      this.p = p + 2;
      return this.view.getInt16(p, true);
    }
    this.p = p + 4;
    return this.view.getInt32(p, true);
  }

  /** A typed integer with exactly one element (dictionary keys, overflow counts). */
  typedInt(what: string): number {
    this.need(1, what);
    const d = this.bytes[this.p++]!;
    const t = d & 15;
    if ((t !== INT8 && t !== INT16 && t !== INT32) || d >> 4 !== 1) this.fail(`${what} should be one typed integer, found descriptor 0x${d.toString(16).padStart(2, '0')}`, this.p - 1);
    this.need(WIDTH[t]!, what);
    return this.int(t);
  }

  /** A typed string (type CHAR or an empty MISSING): its bytes up to the first NUL, as latin1. */
  typedString(what: string): string {
    const n = this.descriptor(what);
    if (n && this.type !== CHAR) this.fail(`${what} should be a character vector, found type code ${this.type}`);
    const s = this.chars(this.p, n);
    this.p += n;
    return s;
  }

  /** `n` character bytes at `from`, stopping at NUL. */
  chars(from: number, n: number): string {
    const b = this.bytes;
    let z = from;
    const stop = from + n;
    while (z < stop && b[z] !== 0) z++;
    if (z - from < 24) {
      let s = '';
      for (let i = from; i < z; i++) s += String.fromCharCode(b[i]!);
      return s;
    }
    return Buffer.from(b.buffer, b.byteOffset + from, z - from).toString('latin1');
  }
}
