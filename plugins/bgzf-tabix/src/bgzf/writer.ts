/**
 * Streaming BGZF writer: cuts the input into blocks of BLOCK_INPUT_SIZE bytes (as bgzip does),
 * compresses them on libuv's threadpool, writes them to the sink in order, and ends the file
 * with the EOF block. With libdeflate (block.ts `codec()`), blocks go in batches of up to
 * BATCH_BLOCKS per native call, `threads` batches at once; with node:zlib, one async deflate per
 * block, `threads` blocks at once. Memory is bounded by what is in flight plus one batch filling.
 */
import { InvalidArgumentError } from '@genolake/core';
import { BLOCK_INPUT_SIZE, EOF_BLOCK, MAX_BLOCK_SIZE, codec, compressBlock, compressBlockSync, nativeLevel } from './block.js';
import { Gzi, type GziEntry } from './gzi.js';
import { type FramedBatch, deflateBatch } from './native.js';
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

/**
 * Blocks per native deflate call: 16 blocks are ~1 MiB of input, ~4 ms of work at level 1, so
 * the per-call cost is noise, while `threads` batches in flight keep memory at a few MiB.
 */
const BATCH_BLOCKS = 16;

export class Writer {
  private readonly level: number;
  private readonly threads: number;
  /** libdeflate batches (true) or one zlib call per block. Fixed at construction. */
  private readonly native = codec() === 'libdeflate';
  /** Native: input of the batch being filled (blocks back to back); `buf` is a view of it. */
  private batch: Uint8Array = new Uint8Array(0);
  /** Native: end offsets in `batch` of its complete blocks. */
  private batchEnds: number[] = [];
  /** Native: batch buffers and deflate scratch space free for reuse. */
  private readonly spareInputs: Uint8Array[] = [];
  private readonly spareScratch: Uint8Array[] = [];
  /** Native: batches deflating now (at most `threads`), and full ones waiting for a slot. */
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The block being filled. */
  private buf: Uint8Array;
  private fill = 0;
  /** Blocks (zlib) or batches (libdeflate) being compressed, oldest first, with the uncompressed offset each starts at. */
  private readonly inFlight: { done: Promise<FramedBatch>; uoffset: number }[] = [];
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
    if (this.native) {
      this.batch = new Uint8Array(BATCH_BLOCKS * BLOCK_INPUT_SIZE);
      this.buf = this.batch.subarray(0, BLOCK_INPUT_SIZE);
    } else {
      this.buf = new Uint8Array(BLOCK_INPUT_SIZE);
    }
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

  /** Native: bytes of `batch` taken by complete blocks. */
  private get batchUsed(): number {
    return this.batchEnds.length === 0 ? 0 : this.batchEnds[this.batchEnds.length - 1]!;
  }

  /**
   * Virtual offset of the next byte to be written. Waits for blocks in flight, whose
   * compressed sizes decide the current block's file offset.
   */
  async virtualOffset(): Promise<vo.VirtualOffset> {
    if (this.native) this.sendBatch();
    while (this.inFlight.length > 0) await this.writeOldest();
    return vo.make(this.bytesOut, this.fill);
  }

  /** Flushes, writes all blocks in order, then the EOF block. */
  async end(): Promise<void> {
    if (this.ended) return;
    await this.flush();
    if (this.native) this.sendBatch();
    while (this.inFlight.length > 0) await this.writeOldest();
    this.ended = true;
    await this.sink.write(EOF_BLOCK.slice());
    this.bytesOut += EOF_BLOCK.length;
  }

  /** The `.gzi` index of what was written (when requested in the options). */
  get gzi(): Gzi | undefined {
    return this.gziEntries && new Gzi(this.gziEntries.slice());
  }

  /** Ends the current block: compresses it (zlib), or adds it to the batch (libdeflate). */
  private async dispatch(): Promise<void> {
    if (this.native) {
      this.batchEnds.push(this.batchUsed + this.fill);
      this.fill = 0;
      if (this.batchEnds.length === BATCH_BLOCKS) this.sendBatch();
      else this.buf = this.batch.subarray(this.batchUsed, this.batchUsed + BLOCK_INPUT_SIZE);
    } else {
      const data = this.buf.subarray(0, this.fill);
      const inputSize = this.fill;
      const done = compressBlock(data, this.level).then((block) => ({ bytes: block, sizes: [block.length], inputSizes: [inputSize] }));
      this.track(done, this.bytesIn - this.fill);
      this.buf = new Uint8Array(BLOCK_INPUT_SIZE);
      this.fill = 0;
    }
    // Native: one full batch more than `threads` may wait, so a thread that finishes starts the
    // next batch at once instead of waiting for the main thread to write and fill one.
    while (this.inFlight.length >= this.threads + (this.native ? 1 : 0)) await this.writeOldest();
  }

  private track(done: Promise<FramedBatch>, uoffset: number): void {
    // Avoid an unhandled rejection while the work waits its turn; writeOldest re-awaits it.
    done.catch(() => undefined);
    this.inFlight.push({ done, uoffset });
  }

  /**
   * Native: starts deflating the batch's complete blocks and begins a new batch, into which the
   * block being filled (if any) moves.
   */
  private sendBatch(): void {
    if (this.batchEnds.length === 0) return;
    const src = this.batch;
    const ends = this.batchEnds;
    const used = this.batchUsed;
    const inputBytes = used;
    const scratch = this.spareScratch.pop() ?? new Uint8Array(BATCH_BLOCKS * MAX_BLOCK_SIZE);
    const level = nativeLevel(this.level);
    const done = new Promise<FramedBatch>((resolve, reject) => {
      const go = (): void => {
        this.running++;
        deflateBatch(src.subarray(0, used), ends, level, scratch)
          .then(resolve, reject)
          .finally(() => {
            this.spareInputs.push(src);
            this.spareScratch.push(scratch);
            this.running--;
            this.waiting.shift()?.();
          });
      };
      if (this.running < this.threads) go();
      else this.waiting.push(go);
    });
    this.track(done, this.bytesIn - this.fill - inputBytes);
    this.batch = this.spareInputs.pop() ?? new Uint8Array(BATCH_BLOCKS * BLOCK_INPUT_SIZE);
    this.batchEnds = [];
    if (this.fill > 0) this.batch.set(src.subarray(used, used + this.fill));
    this.buf = this.batch.subarray(0, BLOCK_INPUT_SIZE);
  }

  private async writeOldest(): Promise<void> {
    const next = this.inFlight.shift()!;
    const framed = await next.done;
    let uoffset = next.uoffset;
    let coffset = this.bytesOut;
    for (let k = 0; k < framed.sizes.length; k++) {
      if (this.gziEntries && coffset > 0) this.gziEntries.push({ coffset, uoffset });
      coffset += framed.sizes[k]!;
      uoffset += framed.inputSizes[k]!;
    }
    this.bytesOut = coffset;
    await this.sink.write(framed.bytes);
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
