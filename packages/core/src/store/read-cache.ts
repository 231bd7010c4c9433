import { checkRange } from './range.js';
import type { DeleteOptions, GetOptions, ListOptions, ObjectInfo, ObjectStore, PutBody, PutOptions } from './types.js';

export interface ReadCacheOptions {
  /** Total bytes held; least recently used entries are dropped beyond it. */
  maxBytes: number;
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  bytes: number;
  entries: number;
}

export interface CachedStore extends ObjectStore {
  readonly cacheStats: ReadCacheStats;
  /** Drops every entry (or those of one key). */
  invalidate(key?: string): void;
}

interface Entry {
  id: string;
  key: string;
  offset: number;
  bytes: Uint8Array;
  /** The object ends at offset + bytes.length (a whole get, or a clipped range). */
  eof: boolean;
}

/**
 * A bounded LRU cache of get results keyed by (key, range). A cached range that covers a
 * request serves it (a whole object, or a clipped range that reached the end, also serves
 * anything after). Puts and deletes through the wrapper invalidate the key; writes by other
 * clients are not seen, so use it for immutable objects (chunks, indexes, old manifests).
 * Returned arrays are copies: callers may mutate them.
 */
export function withReadCache(store: ObjectStore, options: ReadCacheOptions): CachedStore {
  return new ReadCacheStore(store, options.maxBytes);
}

class ReadCacheStore implements CachedStore {
  readonly url: string;
  readonly capabilities;
  readonly cacheStats: ReadCacheStats = { hits: 0, misses: 0, bytes: 0, entries: 0 };
  /** Insertion order is recency order: a hit re-inserts the entry at the end. */
  private readonly lru = new Map<string, Entry>();
  private readonly byKey = new Map<string, Set<Entry>>();
  /** Bumped on every write of a key so a get that raced a put never caches stale bytes. */
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly inner: ObjectStore,
    private readonly maxBytes: number,
  ) {
    this.url = inner.url;
    this.capabilities = inner.capabilities;
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    const range = options?.range;
    if (range) checkRange(range, `${this.url}/${key}`);
    const hit = this.lookup(key, range?.offset ?? 0, range?.length);
    if (hit) {
      this.cacheStats.hits++;
      return hit;
    }
    this.cacheStats.misses++;
    const gen = this.generation.get(key) ?? 0;
    const bytes = await this.inner.get(key, options);
    if ((this.generation.get(key) ?? 0) === gen) {
      const eof = !range || bytes.byteLength < range.length;
      this.insert(key, range?.offset ?? 0, bytes.slice(), eof);
    }
    return bytes;
  }

  head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    return this.inner.head(key, options);
  }

  async put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    this.invalidate(key);
    try {
      return await this.inner.put(key, body, options);
    } finally {
      this.invalidate(key); // also drop anything a concurrent get cached meanwhile
    }
  }

  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix, options);
  }

  async delete(key: string, options?: DeleteOptions): Promise<void> {
    this.invalidate(key);
    try {
      await this.inner.delete(key, options);
    } finally {
      this.invalidate(key);
    }
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  invalidate(key?: string): void {
    const keys = key === undefined ? [...this.byKey.keys()] : [key];
    for (const k of keys) {
      this.generation.set(k, (this.generation.get(k) ?? 0) + 1);
      for (const e of this.byKey.get(k) ?? []) this.remove(e);
    }
  }

  /** A copy of the requested bytes from a covering entry, or undefined. */
  private lookup(key: string, offset: number, length: number | undefined): Uint8Array | undefined {
    const entries = this.byKey.get(key);
    if (!entries) return undefined;
    for (const e of entries) {
      const end = e.offset + e.bytes.byteLength;
      if (length === undefined) {
        if (e.offset !== 0 || !e.eof) continue;
      } else if (offset < e.offset || (offset + length > end && !e.eof)) continue;
      // Touch: move to the most recent end of the LRU order.
      this.lru.delete(e.id);
      this.lru.set(e.id, e);
      if (length === undefined) return e.bytes.slice();
      const a = Math.min(offset, end) - e.offset;
      const b = Math.min(offset + length, end) - e.offset;
      return e.bytes.slice(a, b);
    }
    return undefined;
  }

  private insert(key: string, offset: number, bytes: Uint8Array, eof: boolean): void {
    if (bytes.byteLength > this.maxBytes || (bytes.byteLength === 0 && !eof)) return;
    const id = `${key}\0${offset}\0${bytes.byteLength}\0${eof}`;
    if (this.lru.has(id)) return;
    const entry: Entry = { id, key, offset, bytes, eof };
    this.lru.set(id, entry);
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(entry);
    this.cacheStats.bytes += bytes.byteLength;
    this.cacheStats.entries++;
    for (const old of this.lru.values()) {
      if (this.cacheStats.bytes <= this.maxBytes) break;
      this.remove(old);
    }
  }

  private remove(e: Entry): void {
    if (!this.lru.delete(e.id)) return;
    const set = this.byKey.get(e.key);
    set?.delete(e);
    if (set?.size === 0) this.byKey.delete(e.key);
    this.cacheStats.bytes -= e.bytes.byteLength;
    this.cacheStats.entries--;
  }
}
