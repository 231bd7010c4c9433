/**
 * The first step of every "one entry sniffs its source" reader built on BGZF (BAM/SAM, VCF/BCF):
 * inflate the stream when it is gzip or BGZF, pass it through otherwise, and show the first
 * decompressed bytes so the caller can tell the format by its magic — without consuming them.
 */
import { isGzip } from './block.js';
import { decompressStream } from './stream.js';

export interface OpenInflatedOptions {
  /** Name for messages (file, URL). */
  name: string;
  /** Blocks inflated at once (default 2). */
  threads?: number;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

export interface Inflated {
  /** At least `n` leading decompressed bytes (fewer only if the input is shorter). */
  head: Uint8Array;
  /** The whole decompressed stream, `head` included. */
  stream: AsyncIterable<Uint8Array>;
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

/** `bytes`, inflated if it starts like gzip/BGZF, with its first `n` decompressed bytes shown. */
export async function openInflated(bytes: AsyncIterable<Uint8Array>, n: number, options: OpenInflatedOptions): Promise<Inflated> {
  // The gzip magic and method byte: isGzip needs all three.
  const raw = await peek(bytes, 3);
  let stream = raw.rest;
  if (isGzip(raw.head)) {
    stream = decompressStream(stream, {
      name: options.name,
      threads: options.threads ?? 2,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  const inflated = await peek(stream, n);
  return { head: inflated.head, stream: inflated.rest };
}
