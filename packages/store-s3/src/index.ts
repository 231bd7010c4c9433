/**
 * @genolake/store-s3: Amazon S3 and S3-compatible stores for genolake. Registers `s3://`,
 * and `s3+http://` / `s3+https://` for servers named in the URL (emulators, radosgw, MinIO).
 * Each open store is wrapped in core's withRetry; the store itself never retries single
 * requests (SDK maxAttempts 1), so the two layers never multiply (see store.ts).
 *
 * Store options (`host.openStore(url, options)`): endpoint, region, forcePathStyle,
 * requesterPays, credentials, env, timeoutMs, signPayload, partSize, partConcurrency, partAttempts,
 * maxSockets, readOnly, and `retries` (withRetry's budget; 0 turns the wrapper off).
 */
import { withRetry, type ObjectStore, type StoreOptions } from '@genolake/core';
import { definePlugin, type Plugin } from '@genolake/core/plugin';
import { resolveS3Config } from './config.js';
import { S3Store } from './store.js';

export { S3Store } from './store.js';
export { resolveS3Config, displayUrl, type S3StoreConfig, type S3Credentials } from './config.js';
export { S3RequestError, mapS3Error } from './errors.js';
/** The SDK as this package loads it (tests use it to create buckets). */
export * as sdk from './sdk.js';

export function openS3Store(url: URL, options: StoreOptions = {}): ObjectStore {
  const store = new S3Store(resolveS3Config(url, options));
  const retries = typeof options.retries === 'number' ? options.retries : 5;
  return retries > 0 ? withRetry(store, { retries }) : store;
}

export default function storeS3(): Plugin {
  return definePlugin({
    name: '@genolake/store-s3',
    apiVersion: 1,
    version: '0.1.0',
    setup(host) {
      const schemes: [string, string][] = [
        ['s3', 'Amazon S3 (AWS default credential chain; AWS_ENDPOINT_URL_S3 for S3-compatible stores)'],
        ['s3+http', 'S3-compatible server over plain HTTP, endpoint in the URL: s3+http://host:port/bucket/prefix'],
        ['s3+https', 'S3-compatible server over HTTPS, endpoint in the URL: s3+https://host/bucket/prefix'],
      ];
      for (const [scheme, description] of schemes) {
        host.registerStore({ scheme, provider: '@genolake/store-s3', description, open: async (url, options) => openS3Store(url, options) });
      }
    },
  });
}
