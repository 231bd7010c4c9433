/**
 * Opening an Azure store from a URL: parse it, resolve credentials, build the container
 * client and wrap the store in core's retry wrapper.
 *
 * Retries, tuned so they never multiply:
 * - core's withRetry (backoff with full jitter on TransientError: 408/429/5xx, resets,
 *   timeouts) is the only retry layer for get, head, put of in-memory bodies, list, delete.
 *   The SDK client has `maxTries: 1`, and downloads `maxRetryRequests: 0` (the SDK would
 *   otherwise retry 4 times under each of core's attempts: up to 24 requests for one get).
 * - Streamed bodies cannot be replayed, so withRetry gives them one attempt; their blocks
 *   are bounded buffers we still hold, so each staged block is retried (3 times) inside the
 *   store. Nothing above retries a staged block.
 * - Every request has a client-side deadline (`requestTimeoutMs`, default 120 s: an 8 MiB
 *   block at ~0.5 Mbit/s) and the same server-side `timeout=`; cancellation is the caller's
 *   AbortSignal, passed to every SDK call.
 */
import { ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { withRetry, type ObjectStore, type RetryOptions, type StoreOptions } from '@genolake/core';
import { resolveAzureAuth, type AzureCredentialSettings } from './credentials.js';
import { Secrets } from './redact.js';
import { AzureStore, type AzureStoreConfig } from './store.js';
import { parseAzureUrl } from './url.js';

export interface AzureSettings
  extends AzureCredentialSettings, Pick<AzureStoreConfig, 'blockSize' | 'concurrency' | 'singlePutLimit' | 'listPageSize' | 'blockRetries'> {
  /** Variables to read AZURE_STORAGE_* from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Per-attempt timeout in ms (default 120,000). */
  requestTimeoutMs?: number;
  /** core withRetry options; `false` returns the bare store (tests of single attempts). */
  retry?: RetryOptions | false;
  readOnly?: boolean;
}

const KNOWN: (keyof AzureSettings)[] = [
  'connectionString', 'accountKey', 'sasToken', 'credential', 'anonymous', 'endpoint', 'blockSize', 'concurrency', 'singlePutLimit',
  'listPageSize', 'blockRetries', 'env', 'requestTimeoutMs', 'retry', 'readOnly',
];

/** Store options (from the host) over plugin defaults; unknown keys are ignored. */
export function mergeSettings(defaults: AzureSettings, options: StoreOptions): AzureSettings {
  const out: Record<string, unknown> = { ...defaults };
  for (const k of KNOWN) if (options[k] !== undefined) out[k] = options[k];
  return out as AzureSettings;
}

export async function openAzureStore(url: URL, settings: AzureSettings = {}): Promise<ObjectStore> {
  const loc = parseAzureUrl(url);
  const secrets = new Secrets();
  const auth = await resolveAzureAuth(loc, settings, settings.env ?? process.env, secrets);
  const containerUrl = `${auth.endpoint}/${encodeURIComponent(loc.container)}${auth.sas ? `?${auth.sas}` : ''}`;
  const tryTimeoutInMs = settings.requestTimeoutMs ?? 120_000;
  const pipeline: StoragePipelineOptions = { retryOptions: { maxTries: 1, tryTimeoutInMs } };
  const store = new AzureStore({
    container: new ContainerClient(containerUrl, auth.credential, pipeline),
    requestTimeoutMs: tryTimeoutInMs,
    prefix: loc.prefix,
    url: loc.display,
    secrets,
    ...(settings.readOnly ? { readOnly: true } : {}),
    ...pick(settings, ['blockSize', 'concurrency', 'singlePutLimit', 'listPageSize', 'blockRetries']),
  });
  return settings.retry === false ? store : withRetry(store, settings.retry ?? {});
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
