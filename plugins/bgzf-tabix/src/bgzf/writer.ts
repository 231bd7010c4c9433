/**
 * Streaming BGZF writer: cuts the input into blocks of BLOCK_INPUT_SIZE bytes (as bgzip does),
 * compresses up to `threads` blocks at once on libuv's threadpool (node:zlib's async deflate),
 * writes them to the sink in order, and ends the file with the EOF block. Memory is bounded by
 * `threads` blocks in flight plus one block being filled.
 */
import { InvalidArgumentError } from '@genolake/core';
import { BLOCK_INPUT_SIZE, EOF_BLOCK, compressBlock, compressBlockSync } from './block.js';
import { Gzi, type GziEntry } from './gzi.js';
import * as vo from './virtual-offset.js';

/** Where compressed bytes go. A ByteSink fits, and so does `{ write: c => chunks.push(c) }`. */
export interface BlockSink {
  write(chunk: Uint8Array): Promise<void> | void;
}

export interface WriterOptions {
  /** -1 (zlib default, 6) or 0..9. */
  level?: number;
  /** Blocks compressed concurrently (bgzip -@). Default 1. */
  threads?: number;
  /** Record block starts for a `.gzi` index (read it from `writer.gzi` after `end()`). */
  gzi?: boolean;
}

export class Writer {
  private readonly level: number;
  private readonly threads: number;
  private buf: Uint8Array = new Uint8Array(BLOCK_INPUT_SIZE);
  private fill = 0;
  /** Blocks being compressed, oldest first, with the uncompressed offset each starts at. */
  private readonly inFlight: { block: Promise<Uint8Array>; uoffset: number }[] = [];
  private readonly gziEntries: GziEntry[] | undefined;
  private ended = false;
  /** Compressed bytes handed to the sink so far. */
  bytesOut = 0;
  /** Uncompressed bytes accepted so far. */
  bytesIn = 0;

  constructor(
    private readonly sink: BlockSink,
    options: WriterOptions = {},
  ) {
    this.level = options.level ?? -1;
    if (!Number.isInteger(this.level) || this.level < -1 || this.level > 9) {
      throw new InvalidArgumentError(`compression level ${options.level}: expected -1 (default) or 0..9`);
    }
    this.threads = options.threads ?? 1;
    if (!Number.isInteger(this.threads) || this.threads < 1) {
      throw new InvalidArgumentError(`threads ${options.threads}: expected an integer >= 1`);
    }
    this.gziEntries = options.gzi ? [] : undefined;
  }

  /** Appends bytes. Await each call before the next (the writer applies back-pressure). */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.ended) throw new InvalidArgumentError('BGZF writer: write after end');
    let pos = 0;
    while (pos < bytes.length) {
      const n = Math.min(bytes.length - pos, BLOCK_INPUT_SIZE - this.fill);
      this.buf.set(bytes.subarray(pos, pos + n), this.fill);
      this.fill += n;
      pos += n;
      this.bytesIn += n;
      if (this.fill === BLOCK_INPUT_SIZE) await this.dispatch();
    }
  }

  /**
   * Ends the current block (if it holds data), so the next byte written starts a new block.
   * Index builders use this to make a record start at uoffset 0.
   */
  async flush(): Promise<void> {
    if (this.fill > 0) await this.dispatch();
  }

  /**
   * Virtual offset of the next byte to be written. Waits for blocks in flight, whose
   * compressed sizes decide the current block's file offset.
   */
  async virtualOffset(): Promise<vo.VirtualOffset> {
    while (this.inFlight.length > 0) await this.writeOldest();
    return vo.make(this.bytesOut, this.fill);
  }

  /** Flushes, writes all blocks in order, then the EOF block. */
  async end(): Promise<void> {
    if (this.ended) return;
    await this.flush();
    while (this.inFlight.length > 0) await this.writeOldest();
    this.ended = true;
    await this.sink.write(EOF_BLOCK.slice());
    this.bytesOut += EOF_BLOCK.length;
  }

  /** The `.gzi` index of what was written (when requested in the options). */
  get gzi(): Gzi | undefined {
    return this.gziEntries && new Gzi(this.gziEntries.slice());
  }

  private async dispatch(): Promise<void> {
    const data = this.buf.subarray(0, this.fill);
    const block = compressBlock(data, this.level);
    // Avoid an unhandled rejection while the block waits its turn; writeOldest re-awaits it.
    block.catch(() => undefined);
    this.inFlight.push({ block, uoffset: this.bytesIn - this.fill });
    this.buf = new Uint8Array(BLOCK_INPUT_SIZE);
    this.fill = 0;
    while (this.inFlight.length >= this.threads) await this.writeOldest();
  }

  private async writeOldest(): Promise<void> {
    const next = this.inFlight.shift()!;
    const block = await next.block;
    if (this.gziEntries && this.bytesOut > 0) this.gziEntries.push({ coffset: this.bytesOut, uoffset: next.uoffset });
    this.bytesOut += block.length;
    await this.sink.write(block);
  }
}

/** Compresses a stream of bytes into a stream of BGZF bytes (with the EOF block). */
export async function* compressStream(source: AsyncIterable<Uint8Array>, options: WriterOptions = {}): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const writer = new Writer({ write: (c) => void out.push(c) }, options);
  for await (const chunk of source) {
    await writer.write(chunk);
    yield* out.splice(0);
  }
  await writer.end();
  yield* out.splice(0);
}

/** Compresses a whole buffer synchronously (index files, small outputs, tests). */
export function compressSync(data: Uint8Array, level = -1): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let p = 0; p < data.length; p += BLOCK_INPUT_SIZE) parts.push(compressBlockSync(data.subarray(p, p + BLOCK_INPUT_SIZE), level));
  parts.push(EOF_BLOCK);
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
