// Node-only pieces (filesystem store, worker pool). Re-exported here so browser builds can
// leave them out.
export { FsStore, FS_TEMP_DIR } from './store/fs.js';
export type { FsStoreOptions } from './store/fs.js';
export { fsStorePlugin } from './store/builtin.js';
export { resolveObjectUrl } from './io/resolve.js';
export { openSource, objectSource, stdinSource, DEFAULT_BLOCK_SIZE } from './io/source.js';
export type { OpenSourceOptions } from './io/source.js';
export { brokenPipeWatch, openSink, objectSink, stdoutSink } from './io/sink.js';
export type { OpenSinkOptions, AbortableSink } from './io/sink.js';
export { BoundedQueue } from './io/bounded-queue.js';
export { WorkerPool, getSharedPool, withTransfer } from './util/worker-pool.js';
export type { WorkerPoolOptions, TransferResult } from './util/worker-pool.js';
export { encodePipelineInPool, decodePipelineInPool } from './codec/pipeline-pool.js';
export type { PoolPipelineOptions } from './codec/pipeline-pool.js';
