import { open } from 'node:fs/promises';
import { AbortedError, GenolakeError, InvalidArgumentError } from '../errors.js';
import type { ByteSink, Host } from '../plugin/types.js';
import { errnoCode, mapFsError } from '../store/fs-errors.js';
import type { ObjectInfo, ObjectStore, StoreOptions } from '../store/types.js';
import { BoundedQueue } from './bounded-queue.js';
import { resolveObjectUrl, specialFile } from './resolve.js';

/** A sink that can also be abandoned: the partial object never becomes visible. */
export interface AbortableSink extends ByteSink {
  abort(reason?: unknown): Promise<void>;
}

export interface OpenSinkOptions {
  /** Stream written for '-' (default process.stdout). It is flushed, never ended. */
  stdout?: NodeJS.WritableStream;
  /** Called once when the reader of stdout goes away (EPIPE); later writes are dropped. */
  onBrokenPipe?: () => void;
  /** Bytes per part handed to the store's streaming put (default 1 MiB). */
  partSize?: number;
  /** Parts buffered ahead of the upload (default 4): memory is bounded by partSize × this. */
  queueDepth?: number;
  storeOptions?: StoreOptions;
}

/**
 * For a command writing to stdout: `signal` (to pass to the work) aborts when the reader goes
 * away (`… | head`; hand `onBrokenPipe` to openSink) or when `parent` does. `readerGone()`
 * tells an error from that, which is no failure (samtools and friends exit on SIGPIPE), from others.
 */
export function brokenPipeWatch(parent?: AbortSignal): { signal: AbortSignal; onBrokenPipe: () => void; readerGone(): boolean } {
  const gone = new AbortController();
  return {
    signal: parent ? AbortSignal.any([parent, gone.signal]) : gone.signal,
    onBrokenPipe: () => gone.abort(new AbortedError('the reader of stdout went away')),
    readerGone: () => gone.signal.aborted,
  };
}

/**
 * Opens an output: '-' is stdout (backpressure respected, EPIPE quiet); a local path that is a
 * device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe) is written in place; anything
 * else is an object URL or path written by one streaming put that becomes visible at `end()`.
 */
export async function openSink(host: Host, pathOrUrl: string, options: OpenSinkOptions = {}): Promise<AbortableSink> {
  if (pathOrUrl === '-') return stdoutSink(options.stdout ?? process.stdout, options.onBrokenPipe);
  const special = await specialFile(pathOrUrl);
  if (special) return specialFileSink(special, pathOrUrl);
  const { store, key } = await resolveObjectUrl(host, pathOrUrl, options.storeOptions);
  return objectSink(store, key, { name: pathOrUrl, partSize: options.partSize, queueDepth: options.queueDepth });
}

const encoder = new TextEncoder();

/**
 * A filesystem error naming the file: the store's typed error where there is one, else Node's
 * message (a failed write's names only the syscall: "ENOSPC: no space left on device, write").
 */
function fileError(e: unknown, name: string, action: string): unknown {
  const mapped = mapFsError(e, name, action);
  if (mapped instanceof GenolakeError || !(mapped instanceof Error) || mapped.message.includes(name)) return mapped;
  return Object.assign(new Error(`cannot ${action} ${name}: ${mapped.message}`, { cause: e }), { code: errnoCode(e) });
}

/** Writes straight to a device, FIFO or socket; a write resolves once its bytes are written, so chunks are reusable. */
async function specialFileSink(path: string, name: string): Promise<AbortableSink> {
  const fh = await open(path, 'w').catch((e: unknown) => {
    throw fileError(e, name, 'open');
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  return {
    name,
    chunksReusable: true,
    async write(chunk) {
      if (closed) throw new InvalidArgumentError(`write to ${name} after end`);
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      try {
        for (let o = 0; o < bytes.byteLength;) o += (await fh.write(bytes, o, bytes.byteLength - o)).bytesWritten;
      } catch (e) {
        throw fileError(e, name, 'write');
      }
    },
    end: close,
    abort: close,
  };
}

/** A streaming put of `key`, fed by a bounded queue of parts of `partSize` bytes. */
export function objectSink(
  store: ObjectStore,
  key: string,
  options: { name?: string; partSize?: number; queueDepth?: number } = {},
): AbortableSink & { readonly result: Promise<ObjectInfo> } {
  const partSize = options.partSize ?? 1024 * 1024;
  if (!Number.isSafeInteger(partSize) || partSize < 1) throw new InvalidArgumentError(`bad part size ${partSize}`);
  const queue = new BoundedQueue<Uint8Array>(options.queueDepth ?? 4);
  const ac = new AbortController();
  const result = store.put(key, queue, { signal: ac.signal });
  // A put that fails early (bad key, permissions) must unblock the producer with its error.
  result.catch((e: unknown) => queue.fail(e));
  let part = new Uint8Array(partSize);
  let fill = 0;
  let state: 'open' | 'ended' | 'aborted' = 'open';

  async function flushPart(): Promise<void> {
    if (fill === 0) return;
    const full = fill === part.byteLength ? part : part.slice(0, fill);
    part = new Uint8Array(partSize);
    fill = 0;
    await queue.push(full);
  }

  return {
    name: options.name ?? `${store.url}/${key}`,
    chunksReusable: true, // copied into parts
    result,
    async write(chunk) {
      if (state !== 'open') throw new InvalidArgumentError(`write to ${options.name ?? key} after ${state === 'ended' ? 'end' : 'abort'}`);
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      // Copied into parts: the caller may reuse its buffer once write resolves.
      for (let o = 0; o < bytes.byteLength; ) {
        const n = Math.min(bytes.byteLength - o, partSize - fill);
        part.set(bytes.subarray(o, o + n), fill);
        fill += n;
        o += n;
        if (fill === partSize) await flushPart();
      }
    },
    async end() {
      if (state !== 'open') throw new InvalidArgumentError(`end of ${options.name ?? key} after ${state === 'ended' ? 'end' : 'abort'}`);
      state = 'ended';
      await flushPart();
      queue.close();
      await result;
    },
    async abort(reason) {
      if (state !== 'open') return;
      state = 'aborted';
      const err = reason instanceof GenolakeError ? reason : new AbortedError(`write of ${options.name ?? key} aborted`, { cause: reason });
      queue.fail(err);
      ac.abort(err);
      await result.catch(() => undefined);
    },
  };
}

/**
 * stdout (or any writable): waits for 'drain' when full; EPIPE ends output quietly. On the
 * process's own stdout and stderr, a write resolves when the stream is done with the chunk
 * (its callback: the bytes are with the OS), so the sink is `chunksReusable`; any other
 * writable may keep chunks after its callback (a collector keeping references), so not, unless
 * `reusable` says it keeps none.
 */
export function stdoutSink(out: NodeJS.WritableStream, onBrokenPipe?: () => void, reusable = out === process.stdout || out === process.stderr): AbortableSink {
  let broken = false;
  let failure: unknown;
  let wakeDrain: (() => void) | undefined;
  const onError = (e: unknown) => {
    if (errnoCode(e) === 'EPIPE' || errnoCode(e) === 'ERR_STREAM_DESTROYED') {
      if (!broken) {
        broken = true;
        onBrokenPipe?.();
      }
    } else failure ??= e;
    wakeDrain?.();
  };
  out.on('error', onError);
  const check = () => {
    if (failure) throw failure;
  };
  return {
    name: '-',
    chunksReusable: reusable,
    async write(chunk) {
      check();
      if (broken) return;
      if (reusable) {
        // Done with the chunk when nothing is left queued after the write (written at once, as
        // to files and Linux pipes); else once an empty write queued after it calls back (its
        // callback comes with an error too, as on EPIPE). No callback on the first write: a
        // callback per write costs a tick per write (+60% for small writes).
        const ok = out.write(chunk as string | Uint8Array);
        if (!ok || (out as NodeJS.WritableStream & { writableLength: number }).writableLength > 0) {
          await new Promise<void>((resolve) => out.write('', () => resolve()));
          check();
        }
        return;
      }
      if (!out.write(chunk as string | Uint8Array)) {
        await new Promise<void>((resolve) => {
          wakeDrain = resolve;
          out.once('drain', resolve);
        });
        out.removeListener('drain', wakeDrain!);
        wakeDrain = undefined;
        check();
      }
    },
    async end() {
      // Flush without ending: the process owns stdout.
      if (!broken && !failure) await new Promise<void>((resolve) => out.write('', () => resolve()));
      out.removeListener('error', onError);
      check();
    },
    async abort() {
      out.removeListener('error', onError);
    },
  };
}
