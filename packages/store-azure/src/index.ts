/**
 * @genolake/store-azure: Azure Blob Storage as a genolake ObjectStore.
 * The default export is the plugin factory (the CLI loads it for `az://` URLs).
 */
export { default, AZURE_SCHEMES } from './plugin.js';
export { openAzureStore, type AzureSettings } from './open.js';
export { AzureStore, type AzureStoreConfig } from './store.js';
export { parseAzureUrl, type AzureLocation } from './url.js';
export { parseConnectionString, type ConnectionString } from './connection-string.js';
export type { AzureCredentialSettings } from './credentials.js';
