/**
 * The structural check `verify` runs on chunk objects: objects in the chunk container format
 * (recognised by magic) must decode with every stream's CRC32C intact. Other containers
 * (Parquet, Arrow IPC) are covered by the manifest digest alone.
 */
import { CHUNK_MAGIC, verifyChunk, type CodecRegistry } from '@genolake/core';

export function isChunkContainer(bytes: Uint8Array): boolean {
  if (bytes.byteLength < CHUNK_MAGIC.byteLength) return false;
  for (let i = 0; i < CHUNK_MAGIC.byteLength; i++) if (bytes[i] !== CHUNK_MAGIC[i]) return false;
  return true;
}

export function chunkDeepCheck(codecs: CodecRegistry): (key: string, bytes: Uint8Array) => void {
  return (key, bytes) => {
    if (isChunkContainer(bytes)) verifyChunk(bytes, codecs, key);
  };
}
