/**
 * Reading a GetObject body exactly: the bytes the headers promised, no fewer. A body cut
 * short by a reset or a proxy is a TransientError (retried), never data.
 */
import { CorruptDataError, TransientError, throwIfAborted } from '@genolake/core';

const RANGE_RE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** Checks a 206's Content-Range against `[offset, offset + length)` clipped; returns its length. */
export function checkContentRange(header: string, offset: number, length: number, what: string): number {
  const m = RANGE_RE.exec(header.trim());
  if (!m) throw new CorruptDataError(`${what}: malformed Content-Range ${JSON.stringify(header)}`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? undefined : Number(m[3]);
  const wantEnd = total === undefined ? offset + length - 1 : Math.min(offset + length, total) - 1;
  if (start !== offset || end !== wantEnd) {
    throw new CorruptDataError(`${what}: asked for bytes ${offset}-${offset + length - 1}, the server sent Content-Range ${header}`);
  }
  return end - start + 1;
}

export async function readBody(body: unknown, expected: number | undefined, what: string, signal?: AbortSignal): Promise<Uint8Array> {
  if (body === undefined || body === null) {
    if (expected === 0 || expected === undefined) return new Uint8Array(0);
    throw new TransientError(`${what}: response had no body, expected ${expected} bytes`);
  }
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      throwIfAborted(signal, what);
      if (expected !== undefined && n + chunk.byteLength > expected) {
        throw new CorruptDataError(`${what}: body longer than the ${expected} bytes announced`);
      }
      parts.push(chunk);
      n += chunk.byteLength;
    }
  } catch (e) {
    if (e instanceof CorruptDataError || (e as { code?: string }).code === 'ABORTED') {
      (body as { destroy?: () => void }).destroy?.();
      throw e;
    }
    throw new TransientError(`${what}: connection failed while reading the body after ${n} bytes`, { cause: new Error(String((e as Error)?.message ?? e)) });
  }
  if (expected !== undefined && n !== expected) throw new TransientError(`${what}: truncated body, got ${n} of ${expected} bytes`);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
