/**
 * Chunk object -> batch. Two entry points: `decodeChunk` for a whole object in memory, and
 * `decodeChunkStreams` for a planner that fetched the header and then only the byte ranges
 * of the streams a query needs. Both check each used stream's CRC32C before decoding it.
 * `verifyChunk` checks every checksum without decoding.
 */
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import { pipelineTypes, type CodecRegistry } from '../codec/pipeline.js';
import { crc32c } from '../util/crc32c.js';
import type { ColumnBatch } from '../schema/column.js';
import { decodeBatch } from '../schema/decode.js';
import { streamNamesFor } from '../schema/streams.js';
import { readChunkHeader, type ChunkHeader, type ChunkStreamEntry } from './header.js';

export interface DecodeChunkOptions {
  /** Object key or other name used in error messages. */
  name: string;
  /** Field paths to decode (projection); all when undefined. */
  fields?: readonly string[];
}

function checkStream(entry: ChunkStreamEntry, bytes: Uint8Array, name: string): void {
  if (bytes.length !== entry.length) {
    throw new CorruptDataError(`stream "${entry.name}" of ${name} is ${bytes.length} bytes, expected ${entry.length} at offset ${entry.offset}`);
  }
  const crc = crc32c(bytes);
  if (crc !== entry.crc32c) {
    throw new CorruptDataError(`stream "${entry.name}" CRC mismatch in ${name} (bytes ${entry.offset}..${entry.offset + entry.length})`);
  }
}

function requireWhole(header: ChunkHeader, bytes: Uint8Array, name: string): void {
  if (bytes.length < header.objectLength) {
    throw new CorruptDataError(`${name} is truncated: ${bytes.length} bytes, the header says ${header.objectLength}`);
  }
}

/**
 * Decodes the requested fields from stream bytes fetched by range (encoded bytes keyed by
 * stream name, e.g. from the layout's [offset, length]). Streams outside the projection may
 * be absent; a needed one that is absent is an InvalidArgumentError (the caller did not fetch it).
 */
export function decodeChunkStreams(
  header: ChunkHeader,
  streams: Map<string, Uint8Array>,
  registry: CodecRegistry,
  options: DecodeChunkOptions,
): ColumnBatch {
  const { name } = options;
  const byName = new Map(header.streams.map((s) => [s.name, s]));
  const used = new Map<string, Uint8Array>();
  for (const stream of streamNamesFor(header.schema, options.fields)) {
    const bytes = streams.get(stream);
    if (bytes === undefined) throw new InvalidArgumentError(`stream "${stream}" of ${name} is needed but was not provided`);
    checkStream(byName.get(stream)!, bytes, name);
    used.set(stream, bytes);
  }
  try {
    return decodeBatch(header.schema, used, registry, { records: header.records, ...(options.fields ? { fields: options.fields } : {}) });
  } catch (e) {
    if (e instanceof CorruptDataError) throw new CorruptDataError(`${name}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Decodes a whole chunk object held in memory. */
export function decodeChunk(
  bytes: Uint8Array,
  registry: CodecRegistry,
  options: DecodeChunkOptions,
): { header: ChunkHeader; batch: ColumnBatch } {
  const header = readChunkHeader(bytes, options.name);
  requireWhole(header, bytes, options.name);
  const streams = new Map<string, Uint8Array>();
  for (const s of header.streams) streams.set(s.name, bytes.subarray(s.offset, s.offset + s.length));
  return { header, batch: decodeChunkStreams(header, streams, registry, options) };
}

/**
 * Checks the header CRC, the object length and every stream's CRC32C, and that this host
 * knows every codec the streams need. Decodes nothing. Throws CorruptDataError naming the
 * object (and stream).
 */
export function verifyChunk(bytes: Uint8Array, registry: CodecRegistry, name: string): void {
  const header = readChunkHeader(bytes, name);
  requireWhole(header, bytes, name);
  if (bytes.length > header.objectLength) {
    throw new CorruptDataError(`${name} has ${bytes.length - header.objectLength} bytes after its last stream (at offset ${header.objectLength})`);
  }
  for (const s of header.streams) {
    checkStream(s, bytes.subarray(s.offset, s.offset + s.length), name);
    pipelineTypes(registry, s.pipeline, s.type);
  }
}
