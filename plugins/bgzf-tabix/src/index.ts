// Public surface of @genolake/bgzf-tabix: `bgzf.*`, `tabix.*`, `keyindex.*` and ByteSource adapters.
export * as bgzf from './bgzf/index.js';
export * as tabix from './tabix/index.js';
export * as keyindex from './keyindex/index.js';
export { fromBytes, fromObject } from './source.js';
export { fileSource, fileSink } from './fs.js';
