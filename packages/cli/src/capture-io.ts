/**
 * A CommandIO whose output is collected in memory: for running `main()` in-process in tests
 * and for embedding the CLI in another program.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import type { CommandIO } from '@genolake/core';

export interface CapturedIO extends CommandIO {
  /** Everything written to stdout so far, as UTF-8. */
  out(): string;
  /** Everything written to stdout so far, as bytes. */
  outBytes(): Uint8Array;
  err(): string;
}

function collector(): { stream: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
      cb();
    },
  });
  return { stream, chunks };
}

export function captureIO(options: { stdin?: string | Uint8Array; interactive?: boolean } = {}): CapturedIO {
  const out = collector();
  const err = collector();
  const stdin = options.stdin === undefined ? new PassThrough().end() : Readable.from([Buffer.from(options.stdin)]);
  return {
    stdout: out.stream,
    stderr: err.stream,
    stdin,
    interactive: options.interactive ?? false,
    out: () => Buffer.concat(out.chunks).toString('utf8'),
    outBytes: () => new Uint8Array(Buffer.concat(out.chunks)),
    err: () => Buffer.concat(err.chunks).toString('utf8'),
  };
}
