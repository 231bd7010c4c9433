/**
 * Streaming BGZF decompression: parses block headers as bytes arrive, inflates blocks on the
 * calling thread (`threads: 1`) or, with more threads, in runs of blocks: through
 * @genolake/libdeflate on libuv's threadpool (NATIVE_RUN_BLOCKS per call, `threads` calls at
 * once), or with node:zlib in worker threads when the native binding is unavailable
 * (inflate-pool.ts, RUN_BLOCKS per task). Yields blocks in file
 * order, each with its compressed offset (index builders need it). Plain gzip (single or multi-member) is read transparently by
 * `decompressStream`, through node:zlib's gunzip.
 */
import { createGunzip } from 'node:zlib';
import { Readable, pipeline } from 'node:stream';
import { CorruptDataError, throwIfAborted } from '@genolake/core';
import { InflatePool, type RunBlock } from './inflate-pool.js';
import { type BlockHeader, MAX_BLOCK_SIZE, codec, decompressBlock, decompressBlockSync, isEofBlock, isGzip, parseHeader } from './block.js';
import { inflateRun } from './native.js';

export interface StreamOptions {
  /** File name for messages. */
  name?: string;
  /**
   * Threads inflating blocks. 1 inflates on the calling thread, synchronously; more inflates
   * runs of blocks, that many at once: natively on libuv's threadpool (whose size,
   * UV_THREADPOOL_SIZE, default 4, also caps it), or with node:zlib in that many worker threads
   * (inputs shorter than one run use libuv's threadpool instead). Default 2.
   */
  threads?: number;
  /** Called when the file lacks the EOF block (htslib warns but reads on). */
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

/** One decompressed block and where it sits in the file. */
export interface Block {
  /** File offset of the block. */
  coffset: number;
  /** Size of the block on disk. */
  size: number;
  data: Uint8Array;
}

/**
 * Blocks per worker task: 64 blocks are ~1 MiB compressed, ~4 MiB inflated. Measured on the
 * 200 MB VCF with 2 workers: 16 blocks 272-308 MB/s, 64 blocks 374-393 MB/s (per-message and
 * per-buffer costs amortised); memory stays at a few runs.
 */
const RUN_BLOCKS = 64;
/**
 * Blocks per native (libdeflate) call: 16 blocks are ~1 ms of work, so the ~30 µs a threadpool
 * round trip costs is noise, and the window of blocks in flight stays small enough that its
 * buffers die young in V8's scavenges (peak RSS of `bgzip -d -@ 2` on the 200 MB benchmark file:
 * ~180 MB with 64 blocks per run, ~116 MB with 16; 100 MB at `-@ 1`, 61 MB for `bgzip -h`).
 */
const NATIVE_RUN_BLOCKS = 16;
/** Runs queued per worker, so a worker never waits for the main thread. */
const RUNS_PER_WORKER = 2;

function concatAll(head: Uint8Array, parts: Uint8Array[], partsLen: number): Uint8Array {
  if (head.length === 0 && parts.length === 1) return parts[0]!;
  const out = new Uint8Array(head.length + partsLen);
  out.set(head);
  let p = head.length;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Yields every block, EOF marker included (its data is empty). Throws CorruptDataError for a
 * bad header, a bad CRC or a truncated final block, and for plain gzip input.
 */
export async function* readBlocks(source: AsyncIterable<Uint8Array>, options: StreamOptions = {}): AsyncGenerator<Block> {
  const name = options.name ?? 'BGZF input';
  const threads = Math.max(1, options.threads ?? 2);
  const native = codec() === 'libdeflate';
  const runBlocks = native ? NATIVE_RUN_BLOCKS : RUN_BLOCKS;
  const window = threads === 1 ? 1 : threads * RUNS_PER_WORKER * runBlocks;
  /** Native: run buffers free for reuse (at most one per run in the window). */
  const spare: Uint8Array[] = [];
  const inFlight: Promise<Block>[] = [];
  let pool: InflatePool | undefined;
  // Native runs: at most `threads` on the threadpool at once, the rest wait their turn here.
  let running = 0;
  const waiting: (() => void)[] = [];
  const limited = <T>(work: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const go = (): void => {
        running++;
        void work()
          .then(resolve, reject)
          .finally(() => {
            running--;
            waiting.shift()?.();
          });
      };
      if (running < threads) go();
      else waiting.push(go);
    });
  let buf: Uint8Array = new Uint8Array(0);
  let pos = 0;
  /** File offset of buf[0]. */
  let base = 0;
  let lastWasEof = false;
  let sawAny = false;
  /** Blocks parsed but not yet inflated (threads > 1): views of the input. */
  let run: { coffset: number; raw: Uint8Array; dataOffset: number }[] = [];
  let runBytes = 0;

  const track = (p: Promise<Block>): void => {
    p.catch(() => undefined); // re-awaited in order below
    inFlight.push(p);
  };
  // A run goes to the worker pool; the pool only starts once a full run is ready, so small
  // inputs (index files, tests, tabix spans) never pay its start-up (~30 ms per worker).
  const dispatch = (): void => {
    if (run.length === 0) return;
    const blocks = run;
    run = [];
    let bytes: Uint8Array;
    if (native) {
      const b = spare.pop();
      bytes = b && b.length >= runBytes ? b : new Uint8Array(Math.max(runBytes, NATIVE_RUN_BLOCKS * MAX_BLOCK_SIZE));
    } else {
      bytes = new Uint8Array(runBytes); // owned by the worker once posted
    }
    const used = runBytes;
    runBytes = 0;
    if (!native && !pool && blocks.length >= RUN_BLOCKS) pool = new InflatePool(threads);
    if (!native && !pool) {
      for (const b of blocks) {
        const header = { blockSize: b.raw.length, dataOffset: b.dataOffset };
        track(decompressBlock(b.raw, header, name, b.coffset).then((data) => ({ coffset: b.coffset, size: b.raw.length, data })));
      }
      return;
    }
    let at = 0;
    const rel: RunBlock[] = blocks.map((b) => {
      bytes.set(b.raw, at);
      const r = { coffset: b.coffset, start: at, dataStart: at + b.dataOffset, end: at + b.raw.length };
      at += b.raw.length;
      return r;
    });
    const all = pool
      ? pool.inflate(bytes, rel, name)
      : limited(() => inflateRun(bytes.subarray(0, used), rel, name)).finally(() => void spare.push(bytes));
    // Keep only numbers from the run: views of the input would keep its chunks alive.
    rel.forEach((r, k) => track(all.then((data) => ({ coffset: r.coffset, size: r.end - r.start, data: data[k]! }))));
  };
  const start = (header: BlockHeader): void => {
    const coffset = base + pos;
    const raw = buf.subarray(pos, pos + header.blockSize);
    lastWasEof = isEofBlock(raw);
    if (threads === 1) {
      inFlight.push(Promise.resolve({ coffset, size: raw.length, data: decompressBlockSync(raw, header, name, coffset) }));
    } else {
      run.push({ coffset, raw, dataOffset: header.dataOffset });
      runBytes += raw.length;
      if (run.length >= runBlocks) dispatch();
    }
    pos += header.blockSize;
  };

  try {
    // Chunks are only joined once enough bytes for the next header or block have arrived, so
    // tiny input chunks do not make us copy a partial block again and again.
    let parts: Uint8Array[] = [];
    let partsLen = 0;
    let need = 18;
    for await (const chunk of source) {
      throwIfAborted(options.signal, `reading ${name}`);
      if (chunk.length === 0) continue;
      sawAny = true;
      parts.push(chunk);
      partsLen += chunk.length;
      if (buf.length - pos + partsLen < need) continue;
      base += pos;
      buf = concatAll(buf.subarray(pos), parts, partsLen);
      parts = [];
      partsLen = 0;
      pos = 0;
      for (;;) {
        const header = parseHeader(buf, pos, name, base + pos);
        if (header === null) throw new CorruptDataError(`${name}: gzip member at compressed offset ${base + pos} is not a BGZF block`);
        if (header === undefined) {
          need = buf.length - pos + 1;
          break;
        }
        if (buf.length - pos < header.blockSize) {
          need = header.blockSize;
          break;
        }
        start(header);
        need = 18;
        while (inFlight.length >= window) yield await inFlight.shift()!;
      }
    }
    if (partsLen > 0) {
      // Leftovers that never completed a block: a truncated file.
      base += pos;
      buf = concatAll(buf.subarray(pos), parts, partsLen);
      pos = 0;
      const header = parseHeader(buf, 0, name, base);
      if (header === null) throw new CorruptDataError(`${name}: gzip member at compressed offset ${base} is not a BGZF block`);
    }
    dispatch();
    while (inFlight.length > 0) yield await inFlight.shift()!;
  } finally {
    await pool?.close();
  }
  if (pos < buf.length) {
    throw new CorruptDataError(`${name}: truncated BGZF block at compressed offset ${base + pos} (${buf.length - pos} bytes left)`);
  }
  if (sawAny && !lastWasEof) options.onWarning?.(`${name}: no BGZF EOF marker; the file may be truncated`);
}

/** Data of every block, in order. */
export async function* decompressBlocks(source: AsyncIterable<Uint8Array>, options: StreamOptions = {}): AsyncGenerator<Uint8Array> {
  for await (const block of readBlocks(source, options)) if (block.data.length > 0) yield block.data;
}

/**
 * Decompresses BGZF or plain gzip (multi-member too), choosing by the first member's header.
 * Input that is not gzip at all is a CorruptDataError.
 */
export async function* decompressStream(source: AsyncIterable<Uint8Array>, options: StreamOptions = {}): AsyncGenerator<Uint8Array> {
  const name = options.name ?? 'input';
  const it = source[Symbol.asyncIterator]();
  // Peek until the first header can be classified.
  let head: Uint8Array = new Uint8Array(0);
  let kind: 'bgzf' | 'gzip' | 'empty' = 'empty';
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    head = concat(head, r.value);
    if (head.length >= 3 && !isGzip(head)) break;
    const h = head.length === 0 ? undefined : parseHeader(head, 0, name, 0);
    if (h === undefined) continue;
    kind = h === null ? 'gzip' : 'bgzf';
    break;
  }
  if (kind === 'empty' && head.length > 0) {
    throw new CorruptDataError(`${name}: ${isGzip(head) ? 'truncated gzip header' : 'not in gzip format'} at offset 0`);
  }
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      if (head.length > 0) yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    },
  };
  if (kind === 'bgzf') {
    yield* decompressBlocks(rest, options);
  } else if (kind === 'gzip') {
    const gunzip = createGunzip();
    // pipeline() forwards a source error into gunzip, so the loop below sees it.
    pipeline(Readable.from(rest), gunzip, () => undefined);
    try {
      for await (const chunk of gunzip) yield chunk as Uint8Array;
    } catch (e) {
      if (e instanceof CorruptDataError) throw e;
      throw new CorruptDataError(`${name}: gzip data is corrupt: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
