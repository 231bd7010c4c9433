/** Lines of a BED source, plain or gzip (recognised by its magic), streamed. */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ByteSource } from '@genolake/core';

export async function* readLines(source: ByteSource, signal?: AbortSignal): AsyncIterable<string> {
  let bytes: AsyncIterable<Uint8Array> = source.stream(signal ? { signal } : {});
  const it = bytes[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest = { [Symbol.asyncIterator]: () => it };
  async function* all(): AsyncIterable<Uint8Array> {
    yield first.value!;
    yield* rest;
  }
  bytes = all();
  if (first.value[0] === 0x1f && first.value[1] === 0x8b) bytes = Readable.from(bytes).pipe(createGunzip());
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  for await (const chunk of bytes) {
    const text = carry + decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    carry = lines.pop()!;
    for (const l of lines) yield l.endsWith('\r') ? l.slice(0, -1) : l;
  }
  carry += decoder.decode();
  if (carry) yield carry;
}
