/** Local-file ByteSources and sinks for the commands (Node only). */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
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

/** A ByteSink over a Node writable, honouring back-pressure. */
export function writableSink(stream: NodeJS.WritableStream, name: string, close = true): ByteSink {
  return {
    name,
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        const ok = stream.write(chunk, (err) => (err ? reject(err) : undefined));
        if (ok) resolve();
        else stream.once('drain', resolve);
      }),
    end: () =>
      new Promise<void>((resolve, reject) => {
        if (!close) return resolve();
        stream.once('error', reject);
        stream.end(() => resolve());
      }),
  };
}

/** A ByteSink writing a new local file (`exclusive`: fail if it exists). */
export function fileSink(path: string, exclusive = false): ByteSink {
  return writableSink(createWriteStream(path, { flags: exclusive ? 'wx' : 'w', highWaterMark: STREAM_CHUNK }), path);
}
