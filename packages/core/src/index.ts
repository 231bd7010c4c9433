// The user API of @genolake/core. Extender-only pieces are in '@genolake/core/plugin'.
export * from './errors.js';
export * from './region.js';
export type * from './store/types.js';
export { validateKey, validatePrefix, joinKey } from './store/keys.js';
export { checkRange, clipRange } from './store/range.js';
export { collectBody } from './store/body.js';
export { MemoryStore, MemoryNamespace } from './store/memory.js';
export { withRetry, mayHaveSucceeded } from './store/retry.js';
export type { RetryOptions, RetryInfo } from './store/retry.js';
export { withMetrics } from './store/metrics.js';
export type { MetricsStore, StoreMetrics } from './store/metrics.js';
export { withReadCache } from './store/read-cache.js';
export type { CachedStore, ReadCacheOptions, ReadCacheStats } from './store/read-cache.js';
export { subStore } from './store/sub-store.js';
export * from './node.js';
export type * from './codec/types.js';
export { parsePipeline, formatPipeline, pipelineTypes, encodePipeline, decodePipeline } from './codec/pipeline.js';
export type { CodecRegistry } from './codec/pipeline.js';
export { ELEMENT_TYPES, elementWidth, isElementType } from './codec/element-type.js';
export { crc32c } from './util/crc32c.js';
export { bisect } from './util/bisect.js';
export { checkCodec } from './codec/check.js';
export {
  builtinCodecsPlugin, builtinCodecRegistry, BUILTIN_CODECS,
  noneCodec, deflateCodec, gzipCodec, zstdCodec, deltaCodec, zigzagCodec, varintCodec, transposeCodec, nuc2bitCodec,
} from './codec/builtin/index.js';
export * from './schema/index.js';
export * from './chunk/index.js';
export type * from './dataset/types.js';
export { Dataset } from './dataset/dataset.js';
export type { DatasetInit, DatasetOpenOptions, DatasetCreateOptions } from './dataset/dataset.js';
export { Transaction } from './dataset/transaction.js';
export type { BeginOptions, CommitOptions, ChunkInit } from './dataset/transaction.js';
export type { MetadataPatch } from './dataset/changes.js';
export { verifyDataset } from './dataset/verify.js';
export type { VerifyOptions } from './dataset/verify.js';
export { vacuum } from './dataset/vacuum.js';
export type { VacuumOptions } from './dataset/vacuum.js';
export { listVersions } from './dataset/versions.js';
export {
  MANIFEST_PREFIX, LATEST_HINT_KEY, METADATA_KEY, INDEX_PREFIX, manifestKey, parseManifestKey, sha256Digest, decodeManifest,
} from './dataset/layout.js';
export type * from './index/types.js';
export { pruneChunks, chunkMayMatch, ZoneMapIndex } from './index/zone-map.js';
export type { ChunkPredicate } from './index/zone-map.js';
export { SortedKeyIndex } from './index/sorted-key.js';
export type { SortedKeyEntry, KeyRangeHit } from './index/sorted-key.js';
export type { SortedKeyType } from './index/sorted-key-codec.js';
export { compareKeys, compareStrings } from './index/key-order.js';
export type * from './plan/types.js';
export { HEADER_PART, OBJECT_PART } from './plan/types.js';
export { planReads, DEFAULT_COALESCE_GAP, DEFAULT_MAX_REQUEST_BYTES } from './plan/plan-reads.js';
export { explainPlan } from './plan/explain.js';
export type { HeaderReadsReport, PlanExplainReport } from './plan/explain.js';
export { planGroupedReads, hasRecordGroups } from './plan/plan-grouped.js';
export type { GroupedPlan, HeaderRead, PlanGroupedOptions } from './plan/plan-grouped.js';
export { fetchPlan } from './plan/fetch.js';
export { planPages } from './plan/plan-pages.js';
export { mergePlans } from './plan/merge.js';
export type { PageSelection, PlanPagesOptions } from './plan/plan-pages.js';
export { fetchChunkHeaders } from './plan/headers.js';
export type { FetchChunkHeadersOptions } from './plan/headers.js';
export type { FetchedChunk, FetchPlanOptions } from './plan/fetch.js';
export * from './plugin/index.js';
export { createHost } from './host-default.js';
