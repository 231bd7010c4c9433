/**
 * The chunk header: prefix, UTF-8 JSON (schema, record count, key range, stats, meta, stream
 * table) and a CRC32C over both. JSON because the header is a few KiB beside megabytes of
 * streams: parse cost is noise, and any tool can read it with `head -c`. Unknown JSON keys
 * are ignored, so later minor additions need no version bump.
 */
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import type { ElementType } from '../codec/types.js';
import type { FieldStats } from '../dataset/types.js';
import { crc32c } from '../util/crc32c.js';
import { isElementType } from '../codec/element-type.js';
import { schemaFromJSON, schemaToJSON } from '../schema/json.js';
import { streamSpecs } from '../schema/streams.js';
import type { RecordSchema } from '../schema/types.js';
import { CHUNK_PREFIX_LENGTH, readChunkPrefix, writeChunkPrefix } from './prefix.js';
import { GROUP_RECORD_ALIGNMENT, type ChunkGroup, type ChunkGroupInput } from './groups.js';

export interface ChunkStreamEntry {
  name: string;
  pipeline: string;
  /** Unencoded element type. */
  type: ElementType;
  /** Absolute byte offset in the object (of the stream's first page). */
  offset: number;
  /** Encoded length in bytes (all pages). */
  length: number;
  /** Length before encoding (all pages). */
  rawLength: number;
  /** CRC32C of the encoded bytes (all pages, in order). */
  crc32c: number;
}

export interface ChunkHeader {
  version: number;
  headerLength: number;
  /** Size of the whole object: headerLength + all stream bytes. */
  objectLength: number;
  records: number;
  schema: RecordSchema;
  keyRange?: { min: unknown[]; max: unknown[] };
  stats: Record<string, FieldStats>;
  meta?: Record<string, unknown>;
  streams: ChunkStreamEntry[];
  /** Record groups, at least one; a chunk without a `groups` key has one group whose pages are its streams. */
  groups: ChunkGroup[];
}

/** Header fields the writer supplies; offsets are laid out by buildHeader. */
export interface HeaderInput {
  records: number;
  schema: RecordSchema;
  keyRange?: { min: unknown[]; max: unknown[] };
  stats: Record<string, FieldStats>;
  meta?: Record<string, unknown>;
  streams: Omit<ChunkStreamEntry, 'offset'>[];
  /** With more than one group: each group and its pages' [length, rawLength, crc32c], in stream order. */
  groups?: { group: ChunkGroupInput; pages: [length: number, rawLength: number, crc32c: number][] }[];
}

/** The pages of a single-group chunk are its streams. */
function singleGroup(records: number, streams: ChunkStreamEntry[]): ChunkGroup[] {
  return [{ firstRecord: 0, records, pages: streams.map((s) => ({ offset: s.offset, length: s.length, rawLength: s.rawLength, crc32c: s.crc32c })) }];
}

/**
 * Page offsets: stream s's pages sit back to back from the stream's offset, in group order.
 * `pages[g]` is group g's flat [length, rawLength, crc32c, ...] list in stream order.
 */
function layoutGroups(
  streams: ChunkStreamEntry[],
  groups: { records: number; span?: [number, number] }[],
  pages: ArrayLike<number>[],
): ChunkGroup[] {
  const out: ChunkGroup[] = [];
  let first = 0;
  for (let g = 0; g < groups.length; g++) {
    const grp: ChunkGroup = { firstRecord: first, records: groups[g]!.records, pages: [] };
    if (groups[g]!.span) grp.span = groups[g]!.span!;
    out.push(grp);
    first += grp.records;
  }
  for (let s = 0; s < streams.length; s++) {
    let offset = streams[s]!.offset;
    for (let g = 0; g < groups.length; g++) {
      const p = pages[g]!;
      const length = p[s * 3]!;
      out[g]!.pages.push({ offset, length, rawLength: p[s * 3 + 1]!, crc32c: p[s * 3 + 2]! });
      offset += length;
    }
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** bigint has no JSON form; key ranges and meta carry them as decimal strings. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Serialises the header with absolute stream offsets. Offsets depend on the header length,
 * which depends on the digits of the offsets, so grow a guess until the JSON fits it and pad
 * with spaces (valid JSON whitespace); the guess only grows, so the loop ends.
 */
export function buildHeader(input: HeaderInput): { bytes: Uint8Array; header: ChunkHeader } {
  const schemaJSON = schemaToJSON(input.schema);
  let guess = 0;
  for (;;) {
    let offset = guess;
    const streams = input.streams.map((s) => {
      const e: ChunkStreamEntry = { ...s, offset };
      offset += s.length;
      return e;
    });
    const body: Record<string, unknown> = { records: input.records, objectLength: offset, schema: schemaJSON };
    if (input.keyRange) body.keyRange = input.keyRange;
    body.stats = input.stats;
    if (input.meta) body.meta = input.meta;
    body.streams = streams;
    const multi = input.groups && input.groups.length > 1 ? input.groups : undefined;
    if (multi) {
      body.groups = multi.map(({ group, pages }) => ({ records: group.records, ...(group.span ? { span: group.span } : {}), pages: pages.flat() }));
    }
    let json: Uint8Array;
    try {
      json = encoder.encode(JSON.stringify(body, jsonReplacer));
    } catch (e) {
      throw new InvalidArgumentError(`chunk keyRange/meta is not JSON-serialisable: ${(e as Error).message}`, { cause: e });
    }
    const need = CHUNK_PREFIX_LENGTH + json.length + 4;
    if (need > guess) {
      guess = need;
      continue;
    }
    const bytes = new Uint8Array(guess);
    writeChunkPrefix(bytes, guess);
    bytes.set(json, CHUNK_PREFIX_LENGTH);
    bytes.fill(0x20, CHUNK_PREFIX_LENGTH + json.length, guess - 4);
    new DataView(bytes.buffer).setUint32(guess - 4, crc32c(bytes.subarray(0, guess - 4)), true);
    const header: ChunkHeader = {
      version: 1, headerLength: guess, objectLength: offset, records: input.records, schema: input.schema,
      stats: input.stats, streams,
      groups: multi ? layoutGroups(streams, multi.map((m) => m.group), multi.map((m) => m.pages.flat())) : singleGroup(input.records, streams),
    };
    if (input.keyRange) header.keyRange = input.keyRange;
    if (input.meta) header.meta = input.meta;
    return { bytes, header };
  }
}

function isUint(v: unknown, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/**
 * Parses and verifies the header from the first `headerLength` (or more) bytes of object
 * `name`: magic, version, header CRC32C, JSON shape, and that the stream table is exactly the
 * schema's streams, laid out back to back. Failures name `name`.
 */
export function readChunkHeader(bytes: Uint8Array, name: string): ChunkHeader {
  const prefix = readChunkPrefix(bytes, name);
  const h = prefix.headerLength;
  if (bytes.length < h) throw new CorruptDataError(`${name}: have ${bytes.length} bytes but the header is ${h} bytes (truncated?)`);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + h - 4, 4).getUint32(0, true);
  const actual = crc32c(bytes.subarray(0, h - 4));
  if (stored !== actual) {
    throw new CorruptDataError(`${name}: header CRC mismatch (stored 0x${stored.toString(16)} at byte offset ${h - 4}, computed 0x${actual.toString(16)})`);
  }
  const corrupt = (why: string, cause?: unknown): never => {
    throw new CorruptDataError(`${name}: bad chunk header: ${why}`, cause === undefined ? undefined : { cause });
  };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(decoder.decode(bytes.subarray(CHUNK_PREFIX_LENGTH, h - 4))) as Record<string, unknown>;
  } catch (e) {
    return corrupt('header JSON does not parse', e);
  }
  if (typeof body !== 'object' || body === null) return corrupt('header JSON is not an object');
  if (!isUint(body.records)) corrupt('"records" must be a non-negative integer');
  if (!isUint(body.objectLength)) corrupt('"objectLength" must be a non-negative integer');
  let schema: RecordSchema;
  try {
    schema = schemaFromJSON(body.schema);
  } catch (e) {
    return corrupt(`schema: ${(e as Error).message}`, e);
  }
  const specs = streamSpecs(schema);
  const table = body.streams;
  if (!Array.isArray(table) || table.length !== specs.length) corrupt(`stream table must list the schema's ${specs.length} streams`);
  const streams: ChunkStreamEntry[] = [];
  let offset = h;
  for (let i = 0; i < specs.length; i++) {
    const e = (table as Record<string, unknown>[])[i]!;
    const spec = specs[i]!;
    if (typeof e !== 'object' || e === null || e.name !== spec.name) corrupt(`stream ${i} should be "${spec.name}"`);
    if (e.pipeline !== spec.pipeline || e.type !== spec.type || !isElementType(spec.type)) {
      corrupt(`stream "${spec.name}" pipeline/type disagree with the schema`);
    }
    if (e.offset !== offset || !isUint(e.length) || !isUint(e.rawLength) || !isUint(e.crc32c, 0xffffffff)) {
      corrupt(`stream "${spec.name}" has a bad offset, length or CRC entry (expected offset ${offset})`);
    }
    streams.push({
      name: spec.name, pipeline: spec.pipeline, type: spec.type, offset,
      length: e.length as number, rawLength: e.rawLength as number, crc32c: e.crc32c as number,
    });
    offset += e.length as number;
  }
  if (offset !== body.objectLength) corrupt(`streams end at ${offset} but "objectLength" is ${String(body.objectLength)}`);
  const records = body.records as number;
  const header: ChunkHeader = {
    version: prefix.version, headerLength: h, objectLength: offset, records, schema,
    stats: (typeof body.stats === 'object' && body.stats !== null ? body.stats : {}) as Record<string, FieldStats>,
    streams,
    groups: body.groups === undefined ? singleGroup(records, streams) : readGroups(body.groups, streams, records, corrupt),
  };
  if (body.keyRange !== undefined) header.keyRange = body.keyRange as ChunkHeader['keyRange'];
  if (body.meta !== undefined) header.meta = body.meta as Record<string, unknown>;
  return header;
}

/**
 * Parses and checks `groups`: record counts that sum to the chunk's (every group but the last
 * a multiple of GROUP_RECORD_ALIGNMENT), and pages whose lengths sum to each stream's length and
 * raw length (so page offsets derived from them stay inside the stream).
 */
function readGroups(value: unknown, streams: ChunkStreamEntry[], records: number, corrupt: (why: string) => never): ChunkGroup[] {
  if (!Array.isArray(value) || value.length < 2) return corrupt('"groups" must list at least two groups (one group is written without the key)');
  const n = streams.length;
  const inputs: { records: number; span?: [number, number] }[] = [];
  const pages: number[][] = [];
  let total = 0;
  for (let g = 0; g < value.length; g++) {
    const e = value[g] as Record<string, unknown>;
    if (typeof e !== 'object' || e === null || !isUint(e.records) || e.records === 0) corrupt(`group ${g} needs a positive "records"`);
    const r = e.records as number;
    if (g < value.length - 1 && r % GROUP_RECORD_ALIGNMENT !== 0) corrupt(`group ${g} holds ${r} records, not a multiple of ${GROUP_RECORD_ALIGNMENT}`);
    const p = e.pages;
    if (!Array.isArray(p) || p.length !== n * 3) corrupt(`group ${g} must list ${n} pages as [length, rawLength, crc32c] triples`);
    for (let i = 0; i < n * 3; i++) {
      if (!isUint((p as unknown[])[i], i % 3 === 2 ? 0xffffffff : Number.MAX_SAFE_INTEGER)) corrupt(`group ${g} page entry ${i} is not an unsigned integer`);
    }
    const input: { records: number; span?: [number, number] } = { records: r };
    if (e.span !== undefined) {
      const sp = e.span as unknown[];
      if (!Array.isArray(sp) || sp.length !== 2 || !Number.isSafeInteger(sp[0]) || !Number.isSafeInteger(sp[1]) || (sp[0] as number) > (sp[1] as number)) {
        corrupt(`group ${g} has a bad "span" (want [start, end] integers, start <= end)`);
      }
      input.span = [sp[0] as number, sp[1] as number];
    }
    inputs.push(input);
    pages.push(p as number[]);
    total += r;
  }
  if (total !== records) corrupt(`groups hold ${total} records but the chunk has ${records}`);
  for (let s = 0; s < n; s++) {
    let length = 0, raw = 0;
    for (const p of pages) {
      length += p[s * 3]!;
      raw += p[s * 3 + 1]!;
    }
    if (length !== streams[s]!.length || raw !== streams[s]!.rawLength) {
      corrupt(`pages of stream "${streams[s]!.name}" total ${length} (raw ${raw}) bytes, the stream table says ${streams[s]!.length} (raw ${streams[s]!.rawLength})`);
    }
  }
  return layoutGroups(streams, inputs, pages);
}
