/**
 * Chunk object -> batch. Two entry points: `decodeChunk` for a whole object in memory, and
 * `decodeChunkStreams` for a planner that fetched the header and then only the byte ranges
 * of the streams a query needs. Both check each used stream's CRC32C before decoding it.
 * `verifyChunk` checks every checksum without decoding.
 */
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import { decodePipeline, pipelineTypes, type CodecRegistry } from '../codec/pipeline.js';
import { crc32c } from '../util/crc32c.js';
import type { ColumnBatch } from '../schema/column.js';
import { decodeBatch } from '../schema/decode.js';
import { streamNamesFor } from '../schema/streams.js';
import { readChunkHeader, type ChunkHeader, type ChunkStreamEntry } from './header.js';
import { pagePartName, type ChunkPage } from './groups.js';

export interface DecodeChunkOptions {
  /** Object key or other name used in error messages. */
  name: string;
  /** Field paths to decode (projection); all when undefined. */
  fields?: readonly string[];
}

export interface DecodeChunkPagesOptions extends DecodeChunkOptions {
  /** Groups to decode, ascending; their records come out back to back in one batch. */
  groups: readonly number[];
}

function checkStream(entry: ChunkStreamEntry | ChunkPage, stream: string, bytes: Uint8Array, name: string): void {
  if (bytes.length !== entry.length) {
    throw new CorruptDataError(`stream "${stream}" of ${name} is ${bytes.length} bytes, expected ${entry.length} at offset ${entry.offset}`);
  }
  const crc = crc32c(bytes);
  if (crc !== entry.crc32c) {
    throw new CorruptDataError(`stream "${stream}" CRC mismatch in ${name} (bytes ${entry.offset}..${entry.offset + entry.length})`);
  }
}

function wrapCorrupt(e: unknown, name: string): never {
  if (e instanceof CorruptDataError) throw new CorruptDataError(`${name}: ${e.message}`, { cause: e });
  throw e;
}

/**
 * Decodes the given groups' pages (already length- and CRC-checked, from `page(stream, g)`)
 * through the pipelines, joins each stream's raw pages and decodes the joined raw streams
 * as one batch. Joining raw pages is valid because every group but a chunk's last holds a
 * multiple of 8 records (bitmaps join byte-wise); one group needs no copy.
 */
function decodeGroups(
  header: ChunkHeader,
  groups: readonly number[],
  page: (stream: number, group: number) => Uint8Array,
  registry: CodecRegistry,
  options: DecodeChunkOptions,
): ColumnBatch {
  const { name } = options;
  let records = 0;
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k]!;
    if (!Number.isInteger(g) || g < 0 || g >= header.groups.length || (k > 0 && g <= groups[k - 1]!)) {
      throw new InvalidArgumentError(`${name}: groups must be ascending indices below ${header.groups.length}, got [${groups.join(', ')}]`);
    }
    records += header.groups[g]!.records;
  }
  const index = new Map(header.streams.map((s, i) => [s.name, i]));
  const raw = new Map<string, Uint8Array>();
  for (const stream of streamNamesFor(header.schema, options.fields)) {
    const i = index.get(stream)!;
    const entry = header.streams[i]!;
    const pieces: Uint8Array[] = [];
    let total = 0;
    for (const g of groups) {
      const p = header.groups[g]!.pages[i]!;
      let bytes: Uint8Array;
      try {
        bytes = decodePipeline(registry, entry.pipeline, page(i, g), entry.type);
      } catch (e) {
        if (e instanceof CorruptDataError) throw new CorruptDataError(`${name}: stream "${stream}" group ${g}: ${e.message}`, { cause: e });
        throw e;
      }
      if (bytes.length !== p.rawLength) throw new CorruptDataError(`${name}: stream "${stream}" group ${g} decodes to ${bytes.length} bytes, expected ${p.rawLength}`);
      pieces.push(bytes);
      total += bytes.length;
    }
    if (pieces.length === 1) raw.set(stream, pieces[0]!);
    else {
      const joined = new Uint8Array(total);
      let at = 0;
      for (const piece of pieces) {
        joined.set(piece, at);
        at += piece.length;
      }
      raw.set(stream, joined);
    }
  }
  try {
    return decodeBatch(header.schema, raw, registry, { records, raw: true, ...(options.fields ? { fields: options.fields } : {}) });
  } catch (e) {
    return wrapCorrupt(e, name);
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
    checkStream(byName.get(stream)!, stream, bytes, name);
    used.set(stream, bytes);
  }
  if (header.groups.length > 1) {
    // Whole streams of a grouped chunk: cut each into its pages (checked as a whole above).
    const all = header.groups.map((_, g) => g);
    return decodeGroups(header, all, (i, g) => {
      const entry = header.streams[i]!;
      const p = header.groups[g]!.pages[i]!;
      return used.get(entry.name)!.subarray(p.offset - entry.offset, p.offset - entry.offset + p.length);
    }, registry, options);
  }
  try {
    return decodeBatch(header.schema, used, registry, { records: header.records, ...(options.fields ? { fields: options.fields } : {}) });
  } catch (e) {
    return wrapCorrupt(e, name);
  }
}

/**
 * Decodes the requested fields of some groups only, from page bytes fetched by range (keyed
 * by `pagePartName(stream, group)`, e.g. from `planPages`). Each page's length and CRC32C is
 * checked before decoding. The batch holds the groups' records in order: row r of the batch is
 * record `header.groups[groups[0]].firstRecord + r` when the groups are consecutive.
 */
export function decodeChunkPages(
  header: ChunkHeader,
  pages: Map<string, Uint8Array>,
  registry: CodecRegistry,
  options: DecodeChunkPagesOptions,
): ColumnBatch {
  const { name } = options;
  return decodeGroups(header, options.groups, (i, g) => {
    const stream = header.streams[i]!.name;
    const bytes = pages.get(pagePartName(stream, g));
    if (bytes === undefined) throw new InvalidArgumentError(`page ${pagePartName(stream, g)} of ${name} is needed but was not provided`);
    checkStream(header.groups[g]!.pages[i]!, `${stream}" group "${g}`, bytes, name);
    return bytes;
  }, registry, options);
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
    checkStream(s, s.name, bytes.subarray(s.offset, s.offset + s.length), name);
    pipelineTypes(registry, s.pipeline, s.type);
  }
  if (header.groups.length > 1) {
    for (const [g, group] of header.groups.entries()) {
      for (const [i, p] of group.pages.entries()) checkStream(p, `${header.streams[i]!.name}" group "${g}`, bytes.subarray(p.offset, p.offset + p.length), name);
    }
  }
}
