/**
 * Streaming variant reader: one entry sniffs its source (gzip and BGZF are inflated through
 * bgzf-tabix; then BCF by its magic, anything else is VCF text), reads the header, then yields
 * records in batches. Both formats give the same Header and VcfRecord model. Memory is bounded
 * by one inflated chunk and one batch.
 */
import { InputError, type ByteSource } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';
import { Header } from '../header/header.js';
import type { VcfRecord } from '../record/record.js';
import { RecordParser, type SampleCells } from '../record/parser.js';
import { lineBatches, type LineBatch } from './lines.js';
import { BcfRecords } from '../bcf/reader.js';
import { isBcf } from '../bcf/header.js';

export interface OpenOptions {
  threads?: number;
  signal?: AbortSignal;
  /** Warnings (undeclared fields, missing BGZF EOF block). */
  onWarning?: (message: string) => void;
}

const latin1 = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');

/** Where a reader's records come from (VCF lines or BCF records), counting into the reader. */
type RecordSource = (size: number, reader: Reader, cells?: SampleCells) => AsyncGenerator<VcfRecord[]>;

export class Reader {
  /** Records read so far. */
  count = 0;
  /** VCF: line number of the last line read (1-based). BCF: number of the last record read. */
  lineNo = 0;
  private constructor(readonly header: Header, readonly name: string, readonly format: 'vcf' | 'bcf', private readonly source: RecordSource) {}

  static async open(source: ByteSource, options: OpenOptions = {}): Promise<Reader> {
    const inflated = await bgzf.openInflated(source.stream(options.signal ? { signal: options.signal } : {}), 4, { name: source.name, ...options });
    if (isBcf(inflated.head)) return Reader.fromBcf(inflated.stream, source.name, options.onWarning);
    return Reader.fromText(inflated.stream, source.name, options.onWarning);
  }

  /** BCF from its decompressed bytes. */
  static async fromBcf(stream: AsyncIterable<Uint8Array>, name: string, warn?: (m: string) => void): Promise<Reader> {
    const records = await BcfRecords.open(stream, name, warn);
    return new Reader(records.header, name, 'bcf', (size, reader) => records.batches(size, reader));
  }

  static async fromText(stream: AsyncIterable<Uint8Array>, name: string, warn?: (m: string) => void): Promise<Reader> {
    const it = lineBatches(stream)[Symbol.asyncIterator]();
    const head: string[] = [];
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      const { buf, starts, ends } = r.value;
      for (let i = 0; i < starts.length; i++) {
        if (buf[starts[i]!] !== 0x23) throw new InputError(`${name} line ${head.length + 1}: a data line before the #CHROM header line`);
        const line = latin1(buf, starts[i]!, ends[i]!);
        head.push(line);
        if (line.startsWith('#CHROM')) {
          const header = Header.parse(head, name);
          const reader = new Reader(header, name, 'vcf', (size, rd, cells) => textBatches(rd, it, r.value, i + 1, size, warn, cells));
          reader.lineNo = head.length;
          return reader;
        }
      }
    }
    if (head.length === 0) throw new InputError(`${name}: empty input, not a VCF`);
    throw new InputError(`${name} line ${head.length + 1}: input ended before the #CHROM header line`);
  }

  /**
   * Records in batches of about `size`. `cells`: VCF lines may have their samples encoded
   * straight into matrix cells (VcfRecord.cells) instead of parsed values (BCF ignores it).
   */
  batches(size = 4096, cells?: SampleCells): AsyncGenerator<VcfRecord[]> {
    return this.source(size, this, cells);
  }
}

/** VCF data lines -> records, starting at line `from` of the batch the header ended in. */
async function* textBatches(reader: Reader, it: AsyncIterator<LineBatch>, first: LineBatch, from: number, size: number, warn?: (m: string) => void, cells?: SampleCells): AsyncGenerator<VcfRecord[]> {
  const parser = new RecordParser(reader.header, reader.name, warn, cells);
  let batch: VcfRecord[] = [];
  let lb: LineBatch | undefined = first;
  while (lb) {
    const { buf, starts, ends } = lb;
    for (let i = from; i < starts.length; i++) {
      reader.lineNo++;
      const a = starts[i]!, z = ends[i]!;
      if (a === z) continue;
      if (buf[a] === 0x23) throw new InputError(`${reader.name} line ${reader.lineNo}: header line after the first record`);
      batch.push(parser.parse(buf, a, z, reader.lineNo));
      reader.count++;
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    const r = await it.next();
    lb = r.done ? undefined : r.value;
    from = 0;
  }
  if (batch.length) yield batch;
}
