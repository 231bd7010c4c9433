/**
 * Chunk headers by bounded range reads, for planners that need what only the header holds
 * (record groups' spans and page offsets). One read per chunk of exactly `layout.headerLength`
 * bytes when the manifest knows it, else CHUNK_HEADER_READ_HINT bytes and, for an unusually big
 * header, one more read for the rest. Headers are immutable, so a caller may keep them in a
 * cache keyed by object key across queries.
 */
import type { ChunkEntry } from '../dataset/types.js';
import type { ObjectStore } from '../store/types.js';
import { readChunkHeader, type ChunkHeader } from '../chunk/header.js';
import { CHUNK_HEADER_READ_HINT, readChunkPrefix } from '../chunk/prefix.js';
import { mapPool } from './pool.js';

export interface FetchChunkHeadersOptions {
  /** Reads in flight at most (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Object key -> parsed header; read before fetching and filled after. */
  cache?: Map<string, ChunkHeader>;
}

async function fetchOne(store: ObjectStore, entry: ChunkEntry, signal: AbortSignal | undefined): Promise<ChunkHeader> {
  const opts = signal ? { signal } : {};
  const known = entry.layout?.headerLength;
  const first = Math.min(known ?? CHUNK_HEADER_READ_HINT, entry.size);
  let bytes = await store.get(entry.key, { range: { offset: 0, length: first }, ...opts });
  const { headerLength } = readChunkPrefix(bytes, entry.key);
  if (headerLength > bytes.length && bytes.length === first && headerLength <= entry.size) {
    const rest = await store.get(entry.key, { range: { offset: bytes.length, length: headerLength - bytes.length }, ...opts });
    const joined = new Uint8Array(headerLength);
    joined.set(bytes, 0);
    joined.set(rest, bytes.length);
    bytes = joined;
  }
  return readChunkHeader(bytes, entry.key);
}

/** The headers of `entries`, in order, fetched in parallel (bounded). */
export async function fetchChunkHeaders(store: ObjectStore, entries: readonly ChunkEntry[], options: FetchChunkHeadersOptions = {}): Promise<ChunkHeader[]> {
  const cache = options.cache;
  return mapPool(entries, options.concurrency ?? 8, async (entry) => {
    const hit = cache?.get(entry.key);
    if (hit) return hit;
    const header = await fetchOne(store, entry, options.signal);
    cache?.set(entry.key, header);
    return header;
  }, options.signal);
}
