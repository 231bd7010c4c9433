/**
 * Re-cuts a stream of arbitrary byte chunks into parts of a fixed size (the last one
 * shorter), copying each byte once (the short last part twice, into a buffer of its own size).
 * Only the part being filled is held here. A part is yielded only when completely filled, so
 * its buffer can start uninitialised.
 */
import { throwIfAborted } from '@genolake/core';
import { allocOwned } from './alloc.js';

export async function* fixedParts(
  body: AsyncIterable<Uint8Array>,
  sizeOf: (index: number) => number,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let index = 0;
  let part = allocOwned(sizeOf(index));
  let filled = 0;
  for await (const chunk of body) {
    throwIfAborted(signal, 'put body');
    let o = 0;
    while (o < chunk.byteLength) {
      const n = Math.min(part.byteLength - filled, chunk.byteLength - o);
      part.set(chunk.subarray(o, o + n), filled);
      filled += n;
      o += n;
      if (filled === part.byteLength) {
        yield part;
        part = allocOwned(sizeOf(++index));
        filled = 0;
      }
    }
  }
  throwIfAborted(signal, 'put body');
  if (filled > 0 || index === 0) yield part.slice(0, filled);
}
