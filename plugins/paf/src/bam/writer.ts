/**
 * BAM writer (SAMv1 §4.2): magic, header text and references, then each record with its
 * block_size, through bgzf-tabix's BGZF writer (EOF block at the end). Records written whole
 * into a block-sized buffer keep BGZF blocks full, as htslib's are.
 */
import { InvalidArgumentError } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';
import { ByteWriter } from '../aux.js';
import type { Header } from '../header.js';
import type { Record } from '../record.js';

/** Bytes gathered before handing them to the BGZF writer. */
const FLUSH_AT = 1 << 20;

export class Writer {
  private readonly bgzf: bgzf.Writer;
  private readonly buf = new ByteWriter();
  /** Records written. */
  count = 0;

  constructor(sink: bgzf.BlockSink, options: bgzf.WriterOptions = {}) {
    this.bgzf = new bgzf.Writer(sink, options);
  }

  async writeHeader(header: Header): Promise<void> {
    const w = this.buf;
    w.latin1('BAM\x01');
    w.num(header.text.length, 0x69);
    w.latin1(header.text);
    w.num(header.refs.length, 0x69);
    for (const r of header.refs) {
      if (r.length > 2 ** 31 - 1) throw new InvalidArgumentError(`reference ${r.name} is ${r.length} bases; BAM holds at most 2^31-1`);
      w.num(r.name.length + 1, 0x69);
      w.latin1(r.name);
      w.u8(0);
      w.num(r.length, 0x69);
    }
    // htslib flushes the header into its own block(s).
    await this.bgzf.write(w.take());
    await this.bgzf.flush();
    w.length = 0;
  }

  async write(rec: Record): Promise<void> {
    const w = this.buf;
    w.num(rec.bytes.length, 0x69);
    w.bytes(rec.bytes);
    this.count++;
    if (w.length >= FLUSH_AT) await this.drain();
  }

  /** BGZF virtual offset of the next record (flushes buffered records first). */
  async virtualOffset(): Promise<number> {
    await this.drain();
    return this.bgzf.virtualOffset();
  }

  private async drain(): Promise<void> {
    if (this.buf.length === 0) return;
    await this.bgzf.write(this.buf.buf.subarray(0, this.buf.length).slice());
    this.buf.length = 0;
  }

  async end(): Promise<void> {
    await this.drain();
    await this.bgzf.end();
  }
}
