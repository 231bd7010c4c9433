import type { DeleteOptions, GetOptions, ListOptions, ObjectInfo, ObjectStore, PutBody, PutOptions } from './types.js';

export interface StoreMetrics {
  /** Every call to the inner store, failed ones included. */
  requests: number;
  gets: number;
  heads: number;
  puts: number;
  lists: number;
  deletes: number;
  /** Bytes returned by gets. */
  bytesRead: number;
  /** Bytes sent by puts (streamed bodies counted as they flow). */
  bytesWritten: number;
  /**
   * Every successful get in call order: the requested range, or `whole: true` with
   * offset 0 and the object's length for a whole-object get.
   */
  ranges: { key: string; offset: number; length: number; whole?: boolean }[];
}

export interface MetricsStore extends ObjectStore {
  readonly metrics: StoreMetrics;
  /** Zeroes the counters (the same `metrics` object is kept). */
  reset(): void;
}

/**
 * Counts requests and bytes through a store: feeds `--explain`, benchmarks, and tests that
 * assert a projection read only the streams it needed.
 */
export function withMetrics(store: ObjectStore): MetricsStore {
  return new MeteredStore(store);
}

function zero(m: StoreMetrics): StoreMetrics {
  m.requests = m.gets = m.heads = m.puts = m.lists = m.deletes = m.bytesRead = m.bytesWritten = 0;
  m.ranges = [];
  return m;
}

class MeteredStore implements MetricsStore {
  readonly url: string;
  readonly capabilities;
  readonly metrics = zero({} as StoreMetrics);

  constructor(private readonly inner: ObjectStore) {
    this.url = inner.url;
    this.capabilities = inner.capabilities;
  }

  reset(): void {
    zero(this.metrics);
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    this.metrics.requests++;
    this.metrics.gets++;
    const bytes = await this.inner.get(key, options);
    this.metrics.bytesRead += bytes.byteLength;
    const r = options?.range;
    this.metrics.ranges.push(r ? { key, offset: r.offset, length: r.length } : { key, offset: 0, length: bytes.byteLength, whole: true });
    return bytes;
  }

  head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    this.metrics.requests++;
    this.metrics.heads++;
    return this.inner.head(key, options);
  }

  put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    this.metrics.requests++;
    this.metrics.puts++;
    if (body instanceof Uint8Array) {
      this.metrics.bytesWritten += body.byteLength;
      return this.inner.put(key, body, options);
    }
    return this.inner.put(key, this.count(body), options);
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    this.metrics.requests++;
    this.metrics.lists++;
    yield* this.inner.list(prefix, options);
  }

  delete(key: string, options?: DeleteOptions): Promise<void> {
    this.metrics.requests++;
    this.metrics.deletes++;
    return this.inner.delete(key, options);
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  private async *count(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of body) {
      this.metrics.bytesWritten += chunk.byteLength;
      yield chunk;
    }
  }
}
