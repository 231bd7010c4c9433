/**
 * Small ByteSource adapters, so readers take the interface and never a path (style rule 19):
 * bytes in memory and objects in any ObjectStore. Local files are in fs.ts (Node only).
 */
import type { ObjectStore } from '@genolake/core';
import type { ByteSource } from '@genolake/core/plugin';

/** A ByteSource over bytes in memory. */
export function fromBytes(bytes: Uint8Array, name = 'memory'): ByteSource {
  return {
    name,
    size: async () => bytes.length,
    async *stream(options) {
      const offset = options?.offset ?? 0;
      if (offset < bytes.length) yield bytes.subarray(offset);
    },
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}

/** A ByteSource over an object: ranged gets for random access, 8 MiB ranged gets to stream. */
export function fromObject(store: ObjectStore, key: string, streamChunk = 8 << 20): ByteSource {
  let size: Promise<number> | undefined;
  const getSize = (signal?: AbortSignal): Promise<number> => (size ??= store.head(key, { signal }).then((i) => i.size));
  return {
    name: `${store.url.replace(/\/$/, '')}/${key}`,
    object: { store, key },
    size: () => getSize(),
    async *stream(options) {
      const total = await getSize(options?.signal);
      for (let offset = options?.offset ?? 0; offset < total; offset += streamChunk) {
        const length = Math.min(streamChunk, total - offset);
        yield await store.get(key, { range: { offset, length }, signal: options?.signal });
      }
    },
    read: (offset, length, signal) => store.get(key, { range: { offset, length }, signal }),
  };
}
