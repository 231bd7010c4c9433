/**
 * A growing byte buffer for VCF text (Latin-1): the record writer formats sample columns straight
 * into it from the matrix cells, with no per-value strings or arrays (for 1,000 samples those
 * were most of a region query's time, in the garbage collector).
 */
export class ByteOut {
  buf = new Uint8Array(1 << 16);
  pos = 0;

  private grow(n: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(c: number): void {
    if (this.pos === this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /** A string's characters as Latin-1 bytes (the low byte of each, as Buffer's 'latin1'). */
  text(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i) & 0xff;
    this.pos = p;
  }

  /** An integer in decimal. */
  int(v: number): void {
    if (v < 0 || v > 999_999_999 || !Number.isInteger(v)) { this.text(String(v)); return; }
    if (this.pos + 10 > this.buf.length) this.grow(10);
    if (v < 10) { this.buf[this.pos++] = 48 + v; return; }
    let digits = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) digits++;
    let p = this.pos + digits;
    this.pos = p;
    for (let x = v; p > this.pos - digits; x = (x / 10) | 0) this.buf[--p] = 48 + (x % 10);
  }

  /** The bytes written so far (a copy), and an empty buffer. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }
}
