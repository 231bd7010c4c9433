// Record schemas, columnar batches, streams, Arrow and stats (re-exported by the core index).
export { t, defineSchema, enumIndexType } from './types.js';
export type {
  FieldType, RecordSchema, NumericType, BoolType, BinaryType, EnumType, OptionalType, ListType, StructType,
  IntKind, BigIntKind, FloatKind, NumericKind,
} from './types.js';
export { DEFAULT_PIPELINES } from './defaults.js';
export { schemaToJSON, schemaFromJSON } from './json.js';
export type { RecordSchemaJSON, FieldJSON, FieldTypeJSON } from './json.js';
export { bitmapBytes, getBit, countSetBits } from './column.js';
export type {
  Column, ColumnBatch, NumericColumn, BoolColumn, BinaryColumn, EnumColumn, OptionalColumn, ListColumn, StructColumn, NumericArray,
} from './column.js';
export { createBatchBuilder, batchFromRows } from './builders.js';
export type { BatchBuilder } from './builders.js';
export { batchToRows, columnValue } from './rows.js';
export { sliceBatch, concatBatches } from './slice.js';
export { streamSpecs, streamNamesFor, projectSchema } from './streams.js';
export type { StreamSpec } from './streams.js';
export { encodeBatch } from './encode.js';
export type { EncodedStream } from './encode.js';
export { decodeBatch } from './decode.js';
export type { DecodeBatchOptions } from './decode.js';
export { computeStats, MAX_STRING_STAT } from './stats.js';
