// Tabix and CSI: `import { tabix } from '@genolake/bgzf-tabix'`.
export { buildIndex } from './indexer.js';
export type { IndexOptions } from './indexer.js';
export { IndexedFile, loadIndex } from './query.js';
export type { Span, Explain } from './query.js';
export type { BatchPlan, PlannedFetch, Unit } from './batch.js';
export { PRESETS, presetForName } from './config.js';
export type { TabixConfig, TabixPreset } from './config.js';
export { encodeTbi, decodeTbi } from './tbi.js';
export { encodeCsi, decodeCsi } from '../csi/csi.js';
export { BinningIndex as Index, mergeChunks } from '../binning/index.js';
export type { Chunk, ReferenceIndex, IndexFormat } from '../binning/index.js';
export { parseLine } from './record.js';
