/** Decompresses a whole (small) BGZF or gzip source into one buffer: index files. */
import type { ByteSource } from '@genolake/core/plugin';
import { decompressStream } from './stream.js';

export async function collect(source: ByteSource, name = source.name): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of decompressStream(source.stream(), { name })) parts.push(c);
  return Buffer.concat(parts);
}
