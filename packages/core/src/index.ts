// The user API of @genolake/core. Extender-only pieces are in '@genolake/core/plugin'.
export * from './errors.js';
export * from './region.js';
export type * from './store/types.js';
export { validateKey, validatePrefix, joinKey } from './store/keys.js';
export { checkRange, clipRange } from './store/range.js';
export { collectBody } from './store/body.js';
export { MemoryStore, MemoryNamespace } from './store/memory.js';
export type * from './codec/types.js';
export type * from './dataset/types.js';
export * from './plugin/index.js';
export { createHost } from './host-default.js';
