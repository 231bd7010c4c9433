import { throwIfAborted } from '../errors.js';
import type { PutBody } from './types.js';

/** Collects a put body into one array (memory backends and small objects only). */
export async function collectBody(body: PutBody, signal?: AbortSignal): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const part of body) {
    // AbortedError (not the DOMException of signal.throwIfAborted) keeps errors typed.
    throwIfAborted(signal, 'put body');
    parts.push(part);
    n += part.byteLength;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
