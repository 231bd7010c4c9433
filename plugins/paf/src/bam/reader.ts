/**
 * Streaming BAM reader (SAMv1 §4.2) over any ByteSource: BGZF is inflated by bgzf-tabix (in
 * worker threads), records are cut from the inflated bytes as views, never copied. Memory is
 * bounded by the inflate window plus one partial record.
 */
import { CorruptDataError, type ByteSource } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';
import { Header, type Reference } from '../header.js';
import { FIXED_LENGTH, Record } from '../record.js';
import { auxFieldLength } from '../aux.js';

const latin1 = new TextDecoder('latin1');

export interface ReaderOptions {
  /** Inflate threads (default 2). */
  threads?: number;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
  /** Check each record's aux fields parse (default true). */
  checkAux?: boolean;
}

/** Pulls inflated bytes and hands out exact byte counts. */
class ByteCursor {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Uncompressed offset of buf[0]. */
  base = 0;
  private done = false;
  /** The part of the last inflated buffer not yet in `buf`: read in place once `buf` is used up. */
  private pending: Uint8Array | undefined;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  get available(): number {
    return this.buf.length - this.pos;
  }

  /**
   * Makes at least n bytes available; false at end of input. Bytes left over are joined only
   * with the n - left bytes needed from the next buffer (a record across two BGZF blocks),
   * not with all of it: copying every block cost a copy of the whole input and its garbage.
   */
  async fill(n: number): Promise<boolean> {
    while (this.available < n) {
      let next = this.pending;
      this.pending = undefined;
      if (!next) {
        if (this.done) return false;
        const r = await this.it.next();
        if (r.done) {
          this.done = true;
          return false;
        }
        next = r.value;
      }
      const rest = this.buf.subarray(this.pos);
      this.base += this.pos;
      this.pos = 0;
      if (rest.length === 0) this.buf = next;
      else {
        const add = Math.min(next.length, n - rest.length);
        const joined = new Uint8Array(rest.length + add);
        joined.set(rest);
        joined.set(next.subarray(0, add), rest.length);
        this.buf = joined;
        if (add < next.length) this.pending = next.subarray(add);
      }
    }
    return true;
  }

  async take(n: number, what: string, name: string): Promise<Uint8Array> {
    if (!(await this.fill(n))) throw new CorruptDataError(`${name}: truncated BAM ${what} at uncompressed offset ${this.base + this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function i32(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
}

export class Reader {
  /** Records read so far. */
  count = 0;

  private constructor(
    readonly header: Header,
    private readonly cursor: ByteCursor,
    readonly name: string,
    private readonly checkAux: boolean,
  ) {}

  /** Reads the BAM header; records follow from `batches()`/`records()`. */
  static async open(source: ByteSource, options: ReaderOptions = {}): Promise<Reader> {
    const stream = bgzf.decompressStream(source.stream(options.signal ? { signal: options.signal } : {}), {
      name: source.name, threads: options.threads ?? 2, ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return Reader.fromInflated(stream, source.name, options);
  }

  /** Reads the header from already inflated BAM bytes. */
  static async fromInflated(stream: AsyncIterable<Uint8Array>, name: string, options: ReaderOptions = {}): Promise<Reader> {
    const c = new ByteCursor(stream[Symbol.asyncIterator]());
    const magic = await c.take(4, 'magic', name);
    if (magic[0] !== 0x42 || magic[1] !== 0x41 || magic[2] !== 0x4d || magic[3] !== 1) throw new CorruptDataError(`${name}: not a BAM file (bad magic at offset 0)`);
    const lText = i32(await c.take(4, 'header', name), 0);
    if (lText < 0) throw new CorruptDataError(`${name}: negative header length at offset 4`);
    const textBytes = await c.take(lText, 'header text', name);
    // Kept byte for byte (samtools prints even a stray NUL): export writes the same l_text.
    const text = latin1.decode(textBytes);
    const nRef = i32(await c.take(4, 'header', name), 0);
    if (nRef < 0) throw new CorruptDataError(`${name}: negative reference count at offset ${8 + lText}`);
    const refs: Reference[] = [];
    for (let i = 0; i < nRef; i++) {
      const lName = i32(await c.take(4, 'reference', name), 0);
      if (lName < 1) throw new CorruptDataError(`${name}: bad reference name length for reference ${i}`);
      const n = await c.take(lName, 'reference', name);
      const length = i32(await c.take(4, 'reference', name), 0);
      refs.push({ name: latin1.decode(n.subarray(0, lName - 1)), length });
    }
    return new Reader(new Header(text, refs), c, name, options.checkAux ?? true);
  }

  /** Records in file order, in batches (one per inflated buffer); views until cloned. */
  async *batches(): AsyncGenerator<Record[]> {
    const c = this.cursor;
    const nRef = this.header.refs.length;
    for (;;) {
      if (!(await c.fill(4))) {
        if (c.available > 0) throw new CorruptDataError(`${this.name}: truncated BAM record ${this.count + 1} at uncompressed offset ${c.base + c.pos}`);
        return;
      }
      const batch: Record[] = [];
      // Cut every whole record already in the buffer.
      while (c.available >= 4) {
        const size = i32(c.buf, c.pos);
        const at = c.base + c.pos;
        if (size < FIXED_LENGTH) throw new CorruptDataError(`${this.name}: BAM record ${this.count + 1} has block_size ${size} at uncompressed offset ${at}`);
        if (c.available < 4 + size) break;
        const bytes = c.buf.subarray(c.pos + 4, c.pos + 4 + size);
        const rec = new Record(bytes);
        this.count++;
        this.check(rec, at, nRef);
        batch.push(rec);
        c.pos += 4 + size;
      }
      if (batch.length) yield batch;
      else if (!(await c.fill(4 + i32(c.buf, c.pos)))) {
        throw new CorruptDataError(`${this.name}: truncated BAM record ${this.count + 1} at uncompressed offset ${c.base + c.pos}`);
      }
    }
  }

  async *records(): AsyncGenerator<Record> {
    for await (const batch of this.batches()) yield* batch;
  }

  private check(rec: Record, at: number, nRef: number): void {
    // The location text is built only for an error: this runs for every record.
    const where = (): string => `${this.name}: BAM record ${this.count} at uncompressed offset ${at}`;
    const refId = rec.refId, next = rec.nextRefId;
    if (refId < -1 || refId >= nRef || next < -1 || next >= nRef) throw new CorruptDataError(`${where()}: reference id ${refId < -1 || refId >= nRef ? refId : next} is not in the header (${nRef} references)`);
    if (rec.nameLength < 1 || rec.bytes[FIXED_LENGTH + rec.nameLength - 1] !== 0) throw new CorruptDataError(`${where()}: read name is not NUL-terminated`);
    const lSeq = i32(rec.bytes, 16);
    const auxAt = rec.auxOffset;
    if (lSeq < 0 || auxAt > rec.bytes.length) throw new CorruptDataError(`${where()}: fields overrun the record (${rec.bytes.length} bytes)`);
    if (this.checkAux) {
      // Over the record's bytes from the aux offset (the fields end where the record ends);
      // a field that does not parse is parsed again over the aux bytes, for the message.
      const b = rec.bytes;
      let p = auxAt;
      try {
        while (p < b.length) p += auxFieldLength(b, p, '');
      } catch {
        auxFieldLength(rec.aux, p - auxAt, where());
      }
    }
  }
}
