// BGZF: blocked gzip as specified in SAMv1 §4.1. Use as `import { bgzf } from '@genolake/bgzf-tabix'`.
export { Writer, compressStream, compressSync } from './writer.js';
export type { WriterOptions, BlockSink } from './writer.js';
export { Reader } from './reader.js';
export type { RandomSource, ReaderOptions, ReadStats } from './reader.js';
export { readBlocks, decompressBlocks, decompressStream } from './stream.js';
export type { Block, StreamOptions } from './stream.js';
export { Gzi } from './gzi.js';
export type { GziEntry } from './gzi.js';
export * as virtualOffset from './virtual-offset.js';
export type { VirtualOffset } from './virtual-offset.js';
export { EOF_BLOCK, BLOCK_INPUT_SIZE, MAX_BLOCK_SIZE, isGzip } from './block.js';
export { openInflated, peek } from './inflated.js';
export type { Inflated, OpenInflatedOptions } from './inflated.js';
