/** Little-endian reading and writing for index files. */
import { CorruptDataError } from '@genolake/core';
import * as vo from '../bgzf/virtual-offset.js';

export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private dv = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
  i32(v: number): void {
    this.room(4);
    this.dv.setInt32(this.length, v, true);
    this.length += 4;
  }
  u32(v: number): void {
    this.room(4);
    this.dv.setUint32(this.length, v, true);
    this.length += 4;
  }
  u64(v: number): void {
    this.room(8);
    vo.write(this.dv, this.length, v);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class ByteReader {
  private readonly dv: DataView;
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly name: string,
  ) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new CorruptDataError(`${this.name}: truncated index at byte ${this.pos}`);
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  i32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A count that must be non-negative and plausible for the bytes left. */
  count(what: string, itemSize: number): number {
    const at = this.pos;
    const n = this.i32();
    if (n < 0 || n * itemSize > this.remaining) throw new CorruptDataError(`${this.name}: bad ${what} count ${n} at byte ${at}`);
    return n;
  }
  u64(): number {
    this.need(8);
    const v = vo.read(this.dv, this.pos, this.name);
    this.pos += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}
