/** Local-file ByteSources and sinks for the commands (Node only). */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { AbortedError } from '@genolake/core';
import type { ByteSink, ByteSource } from '@genolake/core/plugin';

/** Read size for streaming: 1 MiB keeps syscalls and chunk concatenation cheap. */
const STREAM_CHUNK = 1 << 20;

/** A ByteSource over a local file. */
export function fileSource(path: string): ByteSource {
  return {
    name: path,
    size: async () => (await stat(path)).size,
    async *stream(options) {
      const s = createReadStream(path, { start: options?.offset ?? 0, highWaterMark: STREAM_CHUNK, signal: options?.signal });
      for await (const chunk of s) yield chunk as Uint8Array;
    },
    async read(offset, length) {
      const fh = await open(path, 'r');
      try {
        const buf = new Uint8Array(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      } finally {
        await fh.close();
      }
    },
  };
}

/** A ByteSource over a Node readable (stdin): streaming only. */
export function streamSource(stream: NodeJS.ReadableStream, name = '-'): ByteSource {
  return {
    name,
    async *stream() {
      for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
    },
  };
}

/**
 * What writes fail with once the reader of a pipe has gone away (EPIPE, `… | head`): the
 * commands then end quietly with exit 0, as htslib's tools do on SIGPIPE.
 */
export class ReaderGoneError extends AbortedError {}

const gone = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
};

/**
 * A ByteSink over a Node writable: backpressure respected; a stream error (one on an earlier
 * write included) fails the next write instead of going unhandled, and EPIPE fails it with
 * ReaderGoneError. `close`: end the stream at the end (not for stdout).
 */
export function writableSink(stream: NodeJS.WritableStream, name: string, close = true): ByteSink {
  let failure: unknown;
  const onError = (e: unknown): void => {
    failure ??= gone(e) ? new ReaderGoneError(`${name}: the reader went away`) : e;
  };
  stream.on('error', onError);
  return {
    name,
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        const ok = stream.write(chunk, (err) => (err ? onError(err) : undefined));
        if (ok) return resolve();
        const fail = (): void => {
          stream.removeListener('drain', drained);
          reject(failure);
        };
        const drained = (): void => {
          stream.removeListener('error', fail);
          resolve();
        };
        stream.once('drain', drained);
        stream.once('error', fail);
      }),
    end: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        if (!close) {
          stream.removeListener('error', onError);
          return resolve();
        }
        stream.once('error', reject);
        stream.end(() => resolve());
      }),
  };
}

/** A ByteSink writing a new local file (`exclusive`: fail if it exists). */
export function fileSink(path: string, exclusive = false): ByteSink {
  return writableSink(createWriteStream(path, { flags: exclusive ? 'wx' : 'w', highWaterMark: STREAM_CHUNK }), path);
}
