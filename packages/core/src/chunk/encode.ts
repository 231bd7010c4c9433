/**
 * Batch -> chunk object: the schema's streams, each through its codec pipeline, behind a
 * self-describing header (docs/formats/chunk.md). The result carries the layout and stats
 * the manifest stores, so planning a read never needs an extra request.
 */
import { InvalidArgumentError } from '../errors.js';
import type { CodecRegistry } from '../codec/pipeline.js';
import type { FieldStats } from '../dataset/types.js';
import { crc32c } from '../util/crc32c.js';
import type { ColumnBatch } from '../schema/column.js';
import { encodeBatch } from '../schema/encode.js';
import { computeStats } from '../schema/stats.js';
import type { RecordSchema } from '../schema/types.js';
import { buildHeader } from './header.js';

export interface EncodeChunkInput {
  schema: RecordSchema;
  batch: ColumnBatch;
  registry: CodecRegistry;
  /** Sort-key range of the records, as JSON tuples (bigints are written as decimal strings). */
  keyRange?: { min: unknown[]; max: unknown[] };
  /** Free-form JSON for the driver. */
  meta?: Record<string, unknown>;
}

export interface ChunkLayout {
  headerLength: number;
  /** Stream name -> [absolute offset, encoded length]. */
  streams: Record<string, [offset: number, length: number]>;
}

export interface EncodedChunk {
  bytes: Uint8Array;
  records: number;
  layout: ChunkLayout;
  stats: Record<string, FieldStats>;
}

export function encodeChunk(input: EncodeChunkInput): EncodedChunk {
  const { schema, batch, registry } = input;
  if (batch.length > 0xffffffff) throw new InvalidArgumentError(`a chunk holds at most 2^32-1 records, got ${batch.length}`);
  const encoded = encodeBatch(schema, batch, registry);
  const stats = computeStats(schema, batch);
  const { bytes: head, header } = buildHeader({
    records: batch.length,
    schema,
    ...(input.keyRange ? { keyRange: input.keyRange } : {}),
    stats,
    ...(input.meta ? { meta: input.meta } : {}),
    streams: encoded.map((s) => ({
      name: s.name, pipeline: s.pipeline, type: s.type, length: s.bytes.length, rawLength: s.rawLength, crc32c: crc32c(s.bytes),
    })),
  });
  const bytes = new Uint8Array(header.objectLength);
  bytes.set(head, 0);
  const layout: ChunkLayout = { headerLength: header.headerLength, streams: {} };
  for (let i = 0; i < encoded.length; i++) {
    const entry = header.streams[i]!;
    bytes.set(encoded[i]!.bytes, entry.offset);
    layout.streams[entry.name] = [entry.offset, entry.length];
  }
  return { bytes, records: batch.length, layout, stats };
}
