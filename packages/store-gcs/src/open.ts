/**
 * Opening a GCS store from a URL. Credentials and endpoint follow Google's standard chain:
 * application default credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, the
 * metadata server), and STORAGE_EMULATOR_HOST for an emulator (then no credentials are sent).
 * Requester pays: `userProject` from the URL (`?userProject=`) or the store options.
 *
 * Retries: core's withRetry is the only layer. The SDK's are off with `autoRetry: false`
 * (note: `maxRetries: 0` would not do it: the SDK treats 0 as "use the default, 3").
 * Streamed bodies get one attempt from withRetry (they cannot be replayed); a resumable
 * upload is not resumed after a failure either, the caller re-runs the put.
 */
import { randomBytes } from 'node:crypto';
import { Storage, type StorageOptions } from '@google-cloud/storage';
import { withRetry, type ObjectStore, type RetryOptions, type StoreOptions } from '@genolake/core';
import { GcsStore, type GcsStoreConfig } from './store.js';
import { parseGcsUrl } from './url.js';

export interface GcsSettings extends Pick<GcsStoreConfig, 'userProject' | 'resumable' | 'singleRequestLimit' | 'requestTimeoutMs' | 'listPageSize'> {
  /** Variables to read STORAGE_EMULATOR_HOST, GOOGLE_CLOUD_PROJECT from (default process.env). */
  env?: Record<string, string | undefined>;
  projectId?: string;
  /** A service-account key file, instead of application default credentials. */
  keyFilename?: string;
  /** API endpoint (default https://storage.googleapis.com, or STORAGE_EMULATOR_HOST). */
  apiEndpoint?: string;
  /**
   * Does the endpoint enforce ifGenerationMatch? 'probe' (the default for emulators and
   * custom endpoints) checks once at open with a scratch object; a store that cannot enforce
   * it reports conditionalCreate false, so commits refuse instead of overwriting.
   */
  conditional?: boolean | 'probe';
  retry?: RetryOptions | false;
  readOnly?: boolean;
}

const KNOWN: (keyof GcsSettings)[] = [
  'userProject', 'resumable', 'singleRequestLimit', 'requestTimeoutMs', 'listPageSize', 'env', 'projectId', 'keyFilename', 'apiEndpoint', 'conditional', 'retry', 'readOnly',
];

export function mergeSettings(defaults: GcsSettings, options: StoreOptions): GcsSettings {
  const out: Record<string, unknown> = { ...defaults };
  for (const k of KNOWN) if (options[k] !== undefined) out[k] = options[k];
  return out as GcsSettings;
}

export async function openGcsStore(url: URL, settings: GcsSettings = {}): Promise<ObjectStore> {
  const loc = parseGcsUrl(url);
  const env = settings.env ?? process.env;
  const emulator = env.STORAGE_EMULATOR_HOST?.replace(/\/+$/, '');
  const apiEndpoint = settings.apiEndpoint ?? (emulator ? (/^https?:\/\//.test(emulator) ? emulator : `http://${emulator}`) : undefined);
  const projectId = settings.projectId ?? env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
  const options: StorageOptions = {
    retryOptions: { autoRetry: false },
    ...(apiEndpoint ? { apiEndpoint } : {}),
    ...(projectId ? { projectId } : {}),
    ...(settings.keyFilename ? { keyFilename: settings.keyFilename } : {}),
  };
  const bucket = new Storage(options).bucket(loc.bucket);
  const config: GcsStoreConfig = {
    bucket,
    prefix: loc.prefix,
    url: loc.display,
    // The firebase emulator fails resumable sessions: stream in one request there.
    resumable: settings.resumable ?? !emulator,
    ...(settings.readOnly ? { readOnly: true } : {}),
    ...((settings.userProject ?? loc.userProject) ? { userProject: settings.userProject ?? loc.userProject } : {}),
    ...(settings.singleRequestLimit !== undefined ? { singleRequestLimit: settings.singleRequestLimit } : {}),
    ...(settings.requestTimeoutMs !== undefined ? { requestTimeoutMs: settings.requestTimeoutMs } : {}),
    ...(settings.listPageSize !== undefined ? { listPageSize: settings.listPageSize } : {}),
  };
  const mode = settings.conditional ?? (apiEndpoint ? 'probe' : true);
  if (mode === 'probe' && !settings.readOnly) config.conditional = await enforcesPreconditions(new GcsStore(config));
  else if (mode !== 'probe') config.conditional = mode;
  const store = new GcsStore(config);
  return settings.retry === false ? store : withRetry(store, settings.retry ?? {});
}

/**
 * Creates a scratch object twice with ifGenerationMatch=0: an endpoint that lets the second
 * create through ignores preconditions (the bare firebase emulator does). Three requests,
 * only for non-Google endpoints.
 */
export async function enforcesPreconditions(store: GcsStore): Promise<boolean> {
  const key = `.genolake-probe-${randomBytes(6).toString('hex')}`;
  const bytes = new Uint8Array(0);
  try {
    await store.put(key, bytes, { ifNoneMatch: '*' });
    try {
      await store.put(key, bytes, { ifNoneMatch: '*' });
      return false;
    } catch (e) {
      return (e as { code?: string }).code === 'ALREADY_EXISTS';
    }
  } finally {
    await store.delete(key).catch(() => undefined);
  }
}
