/**
 * @genolake/store-gcs: Google Cloud Storage as a genolake ObjectStore.
 * The default export is the plugin factory (the CLI loads it for `gs://` URLs).
 */
export { default } from './plugin.js';
export { openGcsStore, enforcesPreconditions, type GcsSettings } from './open.js';
export { GcsStore, type GcsStoreConfig } from './store.js';
export { parseGcsUrl, type GcsLocation } from './url.js';
