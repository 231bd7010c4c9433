/**
 * Opening a dataset URL for a command: through the host (so a missing backend plugin is
 * loaded lazily or named in the error), wrapped with request/byte metrics for --explain and
 * --stats. Every command goes through here so they all count the same way.
 */
import { Dataset, withMetrics, type FormatDriver, type MetricsStore, type ObjectStore, type StoreOptions } from '@genolake/core';
import type { Session } from './command.js';

export type MeteredStore = MetricsStore;

export async function openDatasetStore(session: Session, url: string, options: { readOnly?: boolean } = {}): Promise<MeteredStore> {
  const store = await session.host.openStore(url, storeOptions(session, options.readOnly));
  return withMetrics(store);
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
