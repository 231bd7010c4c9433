/**
 * One entry that sniffs its source (style rule 17): BGZF/gzip is inflated, then "BAM\1" means
 * BAM and anything else is SAM text. Returns a reader with `header` and `batches()`.
 */
import type { ByteSource } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';
import { Reader as BamReader } from './bam/reader.js';
import type { Header } from './header.js';
import type { Record } from './record.js';
import { Reader as SamReader } from './sam/reader.js';

export interface AlignmentReader {
  readonly header: Header;
  readonly name: string;
  /** Records read so far. */
  readonly count: number;
  batches(): AsyncGenerator<Record[]>;
}

export interface OpenOptions {
  threads?: number;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

/** Yields `head` then the rest of `it`. */
async function* prepend(head: Uint8Array, it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (head.length) yield head;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

async function peek(stream: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
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

export async function open(source: ByteSource, options: OpenOptions = {}): Promise<AlignmentReader> {
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
  if (h[0] === 0x42 && h[1] === 0x41 && h[2] === 0x4d && h[3] === 1) return BamReader.fromInflated(inflated.rest, source.name, options);
  return SamReader.fromText(inflated.rest, source.name);
}
