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
import { encodeBatch, type EncodedStream } from '../schema/encode.js';
import { sliceBatch } from '../schema/slice.js';
import { computeStats } from '../schema/stats.js';
import type { RecordSchema } from '../schema/types.js';
import { buildHeader } from './header.js';
import { GROUP_RECORD_ALIGNMENT, type ChunkGroupInput } from './groups.js';

export interface EncodeChunkInput {
  schema: RecordSchema;
  batch: ColumnBatch;
  registry: CodecRegistry;
  /** Sort-key range of the records, as JSON tuples (bigints are written as decimal strings). */
  keyRange?: { min: unknown[]; max: unknown[] };
  /** Free-form JSON for the driver. */
  meta?: Record<string, unknown>;
  /**
   * Record groups (pages), in record order, summing to the batch length; every group but the
   * last a multiple of GROUP_RECORD_ALIGNMENT records. Absent or one group: the plain layout.
   */
  groups?: readonly ChunkGroupInput[];
}

export interface ChunkLayout {
  headerLength: number;
  /** Stream name -> [absolute offset, encoded length] (all pages of the stream). */
  streams: Record<string, [offset: number, length: number]>;
  /** Number of record groups, when more than one (the header has their spans and pages). */
  groups?: number;
}

function checkGroups(groups: readonly ChunkGroupInput[], records: number): void {
  let total = 0;
  for (let g = 0; g < groups.length; g++) {
    const r = groups[g]!.records;
    if (!Number.isSafeInteger(r) || r < 1) throw new InvalidArgumentError(`chunk group ${g}: records must be a positive integer, got ${r}`);
    if (g < groups.length - 1 && r % GROUP_RECORD_ALIGNMENT !== 0) {
      throw new InvalidArgumentError(`chunk group ${g} holds ${r} records; every group but the last must hold a multiple of ${GROUP_RECORD_ALIGNMENT}`);
    }
    const span = groups[g]!.span;
    if (span && !(Number.isSafeInteger(span[0]) && Number.isSafeInteger(span[1]) && span[0] <= span[1])) {
      throw new InvalidArgumentError(`chunk group ${g}: span must be [start, end] integers with start <= end`);
    }
    total += r;
  }
  if (total !== records) throw new InvalidArgumentError(`chunk groups hold ${total} records but the batch has ${records}`);
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
  const groups = input.groups && input.groups.length > 1 ? input.groups : undefined;
  if (groups) checkGroups(groups, batch.length);
  // One encoded stream list per group; pages of a stream are later laid out back to back.
  const perGroup: EncodedStream[][] = [];
  if (groups) {
    let first = 0;
    for (const g of groups) {
      perGroup.push(encodeBatch(schema, sliceBatch(batch, first, first + g.records), registry));
      first += g.records;
    }
  } else perGroup.push(encodeBatch(schema, batch, registry));
  const pageCrcs = perGroup.map((streams) => streams.map((s) => crc32c(s.bytes)));
  const stats = computeStats(schema, batch);
  const { bytes: head, header } = buildHeader({
    records: batch.length,
    schema,
    ...(input.keyRange ? { keyRange: input.keyRange } : {}),
    stats,
    ...(input.meta ? { meta: input.meta } : {}),
    streams: perGroup[0]!.map((s, i) => {
      let length = 0, rawLength = 0, crc = pageCrcs[0]![i]!;
      for (let g = 0; g < perGroup.length; g++) {
        const page = perGroup[g]![i]!;
        length += page.bytes.length;
        rawLength += page.rawLength;
        if (g > 0) crc = crc32c(page.bytes, crc);
      }
      return { name: s.name, pipeline: s.pipeline, type: s.type, length, rawLength, crc32c: crc };
    }),
    ...(groups ? {
      groups: groups.map((group, g) => ({
        group, pages: perGroup[g]!.map((s, i): [number, number, number] => [s.bytes.length, s.rawLength, pageCrcs[g]![i]!]),
      })),
    } : {}),
  });
  const bytes = new Uint8Array(header.objectLength);
  bytes.set(head, 0);
  const layout: ChunkLayout = { headerLength: header.headerLength, streams: {} };
  for (let i = 0; i < header.streams.length; i++) {
    const entry = header.streams[i]!;
    for (let g = 0; g < perGroup.length; g++) bytes.set(perGroup[g]![i]!.bytes, header.groups[g]!.pages[i]!.offset);
    layout.streams[entry.name] = [entry.offset, entry.length];
  }
  if (groups) layout.groups = groups.length;
  return { bytes, records: batch.length, layout, stats };
}
