// Key indexes (.gki): `import { keyindex } from '@genolake/bgzf-tabix'`.
export { KeyIndexBuilder } from './builder.js';
export type { BuildOptions, BuildStats } from './builder.js';
export { KeyIndex, TAIL_READ } from './lookup.js';
export type { LookupOptions, KeyPlan, Match, PlannedRead } from './lookup.js';
export type { KeySpec } from './keys.js';
export type { KeyIndexMeta } from './layout.js';
