/**
 * BCF 2.2 input (VCFv4.3 §6): the header block, then records of `l_shared`, `l_indiv` (uint32
 * little-endian each) and the two parts, decoded into the VcfRecord model one batch at a time.
 * Reads the decompressed stream the caller gives (BGZF inflated by bgzf-tabix, or uncompressed
 * BCF). Broken input is a CorruptDataError naming the record number and its byte offset in the
 * decompressed data.
 */
import { CorruptDataError } from '@genolake/core';
import type { Header } from '../header/header.js';
import type { VcfRecord } from '../record/record.js';
import { ByteWindow } from './bytes.js';
import type { Dictionaries } from './dictionary.js';
import { parseHeaderText } from './header.js';
import { RecordDecoder } from './record.js';
import { Cursor, type Place } from './typed.js';

/** Larger header texts or records are taken for corruption rather than buffered. */
const MAX_BLOCK = 1 << 30;

/** Counters a reader exposes: records read so far and the number of the last one. */
export interface Progress {
  count: number;
  lineNo: number;
}

function withPlace(e: unknown, where: string): never {
  if (e instanceof CorruptDataError && !e.message.includes('BCF record')) throw new CorruptDataError(`${where}: ${e.message}`, { cause: e });
  throw e;
}

export class BcfRecords {
  private constructor(readonly header: Header, private readonly dict: Dictionaries, private readonly bytes: ByteWindow, readonly name: string, private readonly warn?: (m: string) => void) {}

  /** Reads the magic and the header from the decompressed stream. */
  static async open(stream: AsyncIterable<Uint8Array>, name: string, warn?: (m: string) => void): Promise<BcfRecords> {
    const bytes = new ByteWindow(stream[Symbol.asyncIterator]());
    if (!(await bytes.ensure(9))) throw new CorruptDataError(`${name}: the BCF header is truncated (${bytes.left} bytes, the magic and l_text take 9)`);
    const b = bytes.buf;
    if (b[0] !== 0x42 || b[1] !== 0x43 || b[2] !== 0x46 || b[3] !== 2) throw new CorruptDataError(`${name}: not BCF (the magic is not BCF\\2)`);
    if (b[4] !== 2 && b[4] !== 1) throw new CorruptDataError(`${name}: BCF version 2.${b[4]} is not supported (2.1 and 2.2 are)`);
    if (b[4] === 1) warn?.(`${name}: BCF version 2.1; reading it as 2.2`);
    const lText = bytes.view.getUint32(5, true);
    if (lText > MAX_BLOCK) throw new CorruptDataError(`${name}: the BCF header length ${lText} is implausible (byte offset 5)`);
    if (!(await bytes.ensure(9 + lText))) throw new CorruptDataError(`${name}: the BCF header text is truncated (l_text ${lText}, ${bytes.left - 9} bytes present)`);
    let z = bytes.p + 9;
    const stop = z + lText;
    while (z < stop && bytes.buf[z] !== 0) z++;
    const text = Buffer.from(bytes.buf.buffer, bytes.buf.byteOffset + bytes.p + 9, z - bytes.p - 9).toString('latin1');
    const { header, dict } = parseHeaderText(text, name);
    bytes.p += 9 + lText;
    return new BcfRecords(header, dict, bytes, name, warn);
  }

  /** Records in batches of about `size`; `progress` counts them. */
  async *batches(size: number, progress: Progress): AsyncGenerator<VcfRecord[]> {
    const decoder = new RecordDecoder(this.header, this.dict, this.warn);
    const w = this.bytes;
    const place: Place = { name: this.name, record: 0, recordOffset: 0, base: 0 };
    const cursor = new Cursor(w.buf, w.view, place);
    let batch: VcfRecord[] = [];
    for (let n = progress.count + 1; ; n++) {
      const where = (): string => `${this.name}: BCF record ${n} at byte offset ${w.offset} of the decompressed data`;
      if (w.left < 8 && !(await w.ensure(8).catch((e: unknown) => withPlace(e, where())))) {
        if (w.left === 0) break;
        throw new CorruptDataError(`${where()} is truncated: the input ends ${w.left} bytes into its 8-byte length prefix`);
      }
      const lShared = w.view.getUint32(w.p, true), lIndiv = w.view.getUint32(w.p + 4, true);
      const total = 8 + lShared + lIndiv;
      if (lShared > MAX_BLOCK || lIndiv > MAX_BLOCK) throw new CorruptDataError(`${where()}: implausible part lengths l_shared=${lShared} l_indiv=${lIndiv}`);
      if (w.left < total && !(await w.ensure(total).catch((e: unknown) => withPlace(e, where())))) {
        throw new CorruptDataError(`${where()} is truncated: it takes ${total} bytes (l_shared=${lShared}, l_indiv=${lIndiv}), the input ends after ${w.left}`);
      }
      place.record = n;
      place.recordOffset = w.offset;
      place.base = w.base;
      cursor.bytes = w.buf;
      cursor.view = w.view;
      cursor.p = w.p + 8;
      batch.push(decoder.decode(cursor, lShared, lIndiv));
      w.p += total;
      progress.count++;
      progress.lineNo = n;
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
}
