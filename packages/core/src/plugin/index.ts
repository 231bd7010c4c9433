// The extender API (`@genolake/core/plugin`): what plugin authors import.
export * from './types.js';
export { definePlugin } from './define.js';
export { DefaultHost, KNOWN_FORMAT_PROVIDERS, KNOWN_SCHEME_PROVIDERS, parseStoreUrl } from './host.js';
export { discoverPlugins, createLazyLoader, loadPlugin, findProvider, resolveEntry, PluginLoadError } from './discovery.js';
export type { PluginManifest, PluginKind, DiscoverOptions, LazyLoaderOptions } from './discovery.js';
