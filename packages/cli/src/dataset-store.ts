/**
 * Opening a dataset URL for a command: through the host (so a missing backend plugin is
 * loaded lazily or named in the error), wrapped with request/byte metrics for --explain and
 * --stats. Every command goes through here so they all count the same way.
 */
import {
  Dataset, MANIFEST_PREFIX, withMetrics,
  type FormatDriver, type GetOptions, type MetricsStore, type ObjectInfo, type ObjectStore, type StoreOptions,
} from '@genolake/core';
import type { Session } from './command.js';

export type MeteredStore = MetricsStore;

/**
 * A read-only command's store answers repeated reads of the manifest area (`_manifest/`: the
 * latest-version hint, the probe for the next version, the manifest) from the first answer,
 * for the command's lifetime. The CLI opens the dataset to find its driver and the driver
 * opens it again: without this that is three more requests (three more round trips on an
 * object store) per command, and the two opens could even see different versions.
 */
export async function openDatasetStore(session: Session, url: string, options: { readOnly?: boolean } = {}): Promise<MeteredStore> {
  const store = withMetrics(await session.host.openStore(url, storeOptions(session, options.readOnly)));
  return options.readOnly ? new ManifestSnapshotStore(store) : store;
}

class ManifestSnapshotStore implements MetricsStore {
  private readonly gets = new Map<string, Promise<Uint8Array>>();
  private readonly heads = new Map<string, Promise<ObjectInfo>>();

  constructor(private readonly inner: MetricsStore) {}

  get url(): string {
    return this.inner.url;
  }
  get capabilities(): MetricsStore['capabilities'] {
    return this.inner.capabilities;
  }
  get metrics(): MetricsStore['metrics'] {
    return this.inner.metrics;
  }
  reset(): void {
    this.inner.reset();
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    if (options?.range || !key.startsWith(MANIFEST_PREFIX)) return this.inner.get(key, options);
    let p = this.gets.get(key);
    if (!p) this.gets.set(key, (p = this.inner.get(key, options?.signal ? { signal: options.signal } : {})));
    // A copy, so a caller that edits the bytes does not edit them for the next.
    return (await p).slice();
  }

  head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    if (!key.startsWith(MANIFEST_PREFIX)) return this.inner.head(key, options);
    let p = this.heads.get(key);
    if (!p) this.heads.set(key, (p = this.inner.head(key, options)));
    return p;
  }

  put(...args: Parameters<ObjectStore['put']>): ReturnType<ObjectStore['put']> {
    return this.inner.put(...args);
  }
  list(...args: Parameters<ObjectStore['list']>): ReturnType<ObjectStore['list']> {
    return this.inner.list(...args);
  }
  delete(...args: Parameters<ObjectStore['delete']>): ReturnType<ObjectStore['delete']> {
    return this.inner.delete(...args);
  }
  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

/** Options every store opened for a command gets: the session's environment and signal. */
export function storeOptions(session: Session, readOnly?: boolean): StoreOptions {
  return { env: session.env, ...(readOnly ? { readOnly: true } : {}), ...(session.signal ? { signal: session.signal } : {}) };
}

/** Opens the dataset (newest or a given version) and its driver, loading the plugin on demand. */
export async function openDatasetWithDriver(
  session: Session,
  store: ObjectStore,
  version?: number,
): Promise<{ dataset: Dataset; driver: FormatDriver }> {
  const dataset = await Dataset.open(store, { ...(version !== undefined ? { version } : {}), ...(session.signal ? { signal: session.signal } : {}) });
  const driver = await session.host.resolveDriver(dataset.format);
  return { dataset, driver };
}
