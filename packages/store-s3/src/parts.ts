/**
 * Re-cuts a stream of arbitrary byte chunks into parts of a fixed size (the last one
 * shorter), copying each byte once. Only the part being filled is held here.
 */
import { throwIfAborted } from '@genolake/core';

export async function* fixedParts(
  body: AsyncIterable<Uint8Array>,
  sizeOf: (index: number) => number,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let index = 0;
  let part = new Uint8Array(sizeOf(index));
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
        part = new Uint8Array(sizeOf(++index));
        filled = 0;
      }
    }
  }
  throwIfAborted(signal, 'put body');
  if (filled > 0 || index === 0) yield part.subarray(0, filled);
}
