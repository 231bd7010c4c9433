/**
 * Unsigned LEB128 varints for the key index, exact up to 2^53 (virtual offsets reach 2^53):
 * arithmetic instead of `>>>`, which would cut at 32 bits.
 */
import { CorruptDataError } from '@genolake/core';

/** Growable byte buffer with varint and raw appends. */
export class VarintWriter {
  private buf = new Uint8Array(1 << 12);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  uv(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A view of what was written (valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/** Reads varints and byte runs; any overrun is a CorruptDataError naming `name` and `what`. */
export class VarintReader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly name: string,
    readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  uv(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.buf.length) throw this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (v > Number.MAX_SAFE_INTEGER) throw this.fail('varint beyond 2^53');
        return v;
      }
      scale *= 0x80;
    }
    throw this.fail('varint longer than 8 bytes');
  }

  bytes(n: number): Uint8Array {
    if (n > this.buf.length - this.pos) throw this.fail(`${n} bytes needed, ${this.buf.length - this.pos} left`);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  fail(why: string): CorruptDataError {
    return new CorruptDataError(`${this.name}: ${this.what}: ${why} at byte ${this.pos}`);
  }
}
