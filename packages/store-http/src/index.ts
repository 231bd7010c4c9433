/**
 * @genolake/store-http: read-only HTTP(S) objects for genolake. Registers `http://` and
 * `https://`; each open store is wrapped in core's withRetry (this store never retries by
 * itself, so retries do not multiply).
 *
 * Store options (from `host.openStore(url, options)`): `headers`, `timeoutMs`, `maxSockets`,
 * `ignoredRangeLimit` (see HttpStoreOptions) and `retries` (0 turns the wrapper off).
 */
import { withRetry, type ObjectStore, type StoreOptions } from '@genolake/core';
import { definePlugin, type Plugin } from '@genolake/core/plugin';
import { HttpStore, type HttpStoreOptions } from './store.js';

export { HttpStore, type HttpStoreOptions } from './store.js';
export { redactUrl } from './redact.js';
export { parseContentRange, type ContentRange } from './content-range.js';

/** Opens a root URL as a store with the options a host passes (unknown keys ignored). */
export function openHttpStore(url: URL, options: StoreOptions = {}): ObjectStore {
  const o: HttpStoreOptions = {};
  if (options.headers && typeof options.headers === 'object') o.headers = options.headers as Record<string, string>;
  if (typeof options.timeoutMs === 'number') o.timeoutMs = options.timeoutMs;
  if (typeof options.maxSockets === 'number') o.maxSockets = options.maxSockets;
  if (typeof options.ignoredRangeLimit === 'number') o.ignoredRangeLimit = options.ignoredRangeLimit;
  const store = new HttpStore(url, o);
  const retries = typeof options.retries === 'number' ? options.retries : 5;
  return retries > 0 ? withRetry(store, { retries }) : store;
}

export default function storeHttp(): Plugin {
  return definePlugin({
    name: '@genolake/store-http',
    apiVersion: 1,
    version: '0.1.0',
    setup(host) {
      for (const scheme of ['http', 'https']) {
        host.registerStore({
          scheme,
          provider: '@genolake/store-http',
          description: 'read-only objects over HTTP(S): bounded Range GETs and HEAD',
          open: async (url, options) => openHttpStore(url, options),
        });
      }
    },
  });
}
