/**
 * Streaming VCF reader: one entry sniffs its source (gzip and BGZF are inflated through
 * bgzf-tabix, anything else is plain text), reads the header, then yields records in batches.
 * Memory is bounded by one inflated chunk and one batch.
 */
import { InputError, type ByteSource } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';
import { Header } from '../header/header.js';
import type { VcfRecord } from '../record/record.js';
import { RecordParser } from '../record/parser.js';
import { lineBatches, type LineBatch } from './lines.js';

export interface OpenOptions {
  threads?: number;
  signal?: AbortSignal;
  /** Warnings (undeclared fields, missing BGZF EOF block). */
  onWarning?: (message: string) => void;
}

async function* prepend(head: Uint8Array, it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (head.length) yield head;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Reads at least `n` bytes (unless the stream ends) and gives the stream back whole. */
export async function peek(stream: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const it = stream[Symbol.asyncIterator]();
  let head = new Uint8Array(0);
  while (head.length < n) {
    const r = await it.next();
    if (r.done) break;
    const joined = new Uint8Array(head.length + r.value.length);
    joined.set(head);
    joined.set(r.value, head.length);
    head = joined;
  }
  return { head, rest: prepend(head, it) };
}

const latin1 = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');

export class Reader {
  /** Records read so far. */
  count = 0;
  /** Line number of the last line read (1-based). */
  lineNo = 0;
  private constructor(readonly header: Header, readonly name: string, private readonly it: AsyncIterator<LineBatch>, private pending: LineBatch | undefined, private pendingFrom: number, private readonly warn?: (m: string) => void) {}

  static async open(source: ByteSource, options: OpenOptions = {}): Promise<Reader> {
    const raw = await peek(source.stream(options.signal ? { signal: options.signal } : {}), 2);
    let bytes = raw.rest;
    if (bgzf.isGzip(raw.head)) {
      bytes = bgzf.decompressStream(bytes, {
        name: source.name, threads: options.threads ?? 2,
        ...(options.onWarning ? { onWarning: options.onWarning } : {}), ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    const inflated = await peek(bytes, 4);
    const h = inflated.head;
    if (h[0] === 0x42 && h[1] === 0x43 && h[2] === 0x46 && h[3] === 2) throw new InputError(`${source.name}: BCF input is not supported yet; convert it with \`bcftools view -Oz\` first`);
    return Reader.fromText(inflated.rest, source.name, options.onWarning);
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
          const reader = new Reader(Header.parse(head, name), name, it, r.value, i + 1, warn);
          reader.lineNo = head.length;
          return reader;
        }
      }
    }
    if (head.length === 0) throw new InputError(`${name}: empty input, not a VCF`);
    throw new InputError(`${name} line ${head.length + 1}: input ended before the #CHROM header line`);
  }

  /** Records in batches of about `size`. */
  async *batches(size = 4096): AsyncGenerator<VcfRecord[]> {
    const parser = new RecordParser(this.header, this.name, this.warn);
    let batch: VcfRecord[] = [];
    let lb = this.pending;
    let from = this.pendingFrom;
    this.pending = undefined;
    while (lb) {
      const { buf, starts, ends } = lb;
      for (let i = from; i < starts.length; i++) {
        this.lineNo++;
        const a = starts[i]!, z = ends[i]!;
        if (a === z) continue;
        if (buf[a] === 0x23) throw new InputError(`${this.name} line ${this.lineNo}: header line after the first record`);
        batch.push(parser.parse(buf, a, z, this.lineNo));
        this.count++;
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      const r = await this.it.next();
      lb = r.done ? undefined : r.value;
      from = 0;
    }
    if (batch.length) yield batch;
  }
}
