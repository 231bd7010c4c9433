/**
 * The decompressed BCF byte stream as a window: `buf[p…]` holds the unread bytes, `base` is the
 * stream offset of `buf[0]`. `ensure(n)` joins further chunks until n bytes are unread; the
 * join copies only the unread tail of the old window plus the new chunks.
 */
export class ByteWindow {
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  p = 0;
  base = 0;
  private ended = false;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  get left(): number {
    return this.buf.length - this.p;
  }

  /** Stream offset of `buf[p]`. */
  get offset(): number {
    return this.base + this.p;
  }

  /** True when `n` bytes are unread (false: the stream ended first, with `left` bytes unread). */
  async ensure(n: number): Promise<boolean> {
    if (this.left >= n) return true;
    const parts: Uint8Array[] = this.left ? [this.buf.subarray(this.p)] : [];
    let have = this.left;
    while (have < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else if (r.value.length) {
        parts.push(r.value);
        have += r.value.length;
      }
    }
    this.base += this.p;
    this.p = 0;
    if (parts.length === 1) this.buf = parts[0]!;
    else {
      const joined = new Uint8Array(have);
      let at = 0;
      for (const part of parts) {
        joined.set(part, at);
        at += part.length;
      }
      this.buf = joined;
    }
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return have >= n;
  }
}
