/**
 * Streams -> batch, for all fields or a projection. Only the streams the projection needs are
 * looked up, so a caller that fetched three streams can decode three fields. Every stream's
 * decoded size is checked against the record count, so damaged bytes become a
 * CorruptDataError naming the stream instead of garbage columns.
 */
import { CorruptDataError } from '../errors.js';
import { decodePipeline, type CodecRegistry } from '../codec/pipeline.js';
import type { ElementType } from '../codec/types.js';
import {
  bitmapBytes, countSetBits, getBit, newNumericArray, NUMERIC_ARRAYS, type Column, type ColumnBatch,
} from './column.js';
import { listChildPath, NUMERIC_ELEMENT, projectSchema } from './streams.js';
import { enumIndexType, type FieldType, type RecordSchema } from './types.js';

export interface DecodeBatchOptions {
  /** Top-level or dotted field paths to decode; all when undefined. */
  fields?: readonly string[];
  /** Number of records the streams hold. */
  records: number;
  /** The streams are already decoded (raw bytes, e.g. pages decoded one by one and joined): skip the pipelines. */
  raw?: boolean;
}

interface Ctx {
  streams: Map<string, Uint8Array>;
  registry: CodecRegistry;
  raw: boolean;
}

function read(ctx: Ctx, name: string, type: ElementType, pipeline: string, expected: number | undefined): Uint8Array {
  const encoded = ctx.streams.get(name);
  if (encoded === undefined) throw new CorruptDataError(`stream "${name}" is missing`);
  let raw: Uint8Array = encoded;
  if (!ctx.raw) {
    try {
      raw = decodePipeline(ctx.registry, pipeline, encoded, type);
    } catch (e) {
      if (!(e instanceof CorruptDataError)) throw e;
      throw new CorruptDataError(`stream "${name}": ${e.message}`, { cause: e });
    }
  }
  if (expected !== undefined && raw.length !== expected) {
    throw new CorruptDataError(`stream "${name}" decodes to ${raw.length} bytes, expected ${expected}`);
  }
  return raw;
}

/** `raw` if its offset suits a typed view of `width`, else an aligned copy. */
function aligned(raw: Uint8Array, width: number): Uint8Array {
  return raw.byteOffset % width === 0 ? raw : raw.slice();
}

/** Offsets from a u32 lengths stream; the total must fit int32 (Arrow's offsets). */
function readOffsets(ctx: Ctx, name: string, pipeline: string, n: number): Int32Array {
  const raw = aligned(read(ctx, name, 'u32', pipeline, n * 4), 4);
  const lens = new Uint32Array(raw.buffer, raw.byteOffset, n);
  const offsets = new Int32Array(n + 1);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += lens[i]!;
    offsets[i + 1] = sum;
  }
  if (sum > 0x7fffffff) throw new CorruptDataError(`stream "${name}": lengths total ${sum}, over the 2^31-1 limit`);
  return offsets;
}

function decodeColumn(type: FieldType, path: string, n: number, ctx: Ctx): Column {
  switch (type.kind) {
    case 'bool':
      return { kind: 'bool', length: n, bits: read(ctx, path, 'u8', type.pipeline, bitmapBytes(n)) };
    case 'string': case 'bytes': {
      const offsets = readOffsets(ctx, `${path}.@len`, type.lengthPipeline, n);
      const data = read(ctx, path, 'bytes', type.pipeline, offsets[n]!);
      return { kind: type.kind, length: n, offsets, data };
    }
    case 'enum': {
      const et = enumIndexType(type.values);
      const w = et === 'u8' ? 1 : 2;
      const raw = aligned(read(ctx, path, et, type.pipeline, n * w), w);
      const indices = w === 1 ? raw : new Uint16Array(raw.buffer, raw.byteOffset, n);
      const limit = type.values.length;
      for (let i = 0; i < n; i++) {
        if (indices[i]! >= limit) throw new CorruptDataError(`stream "${path}": enum index ${indices[i]} at row ${i} exceeds the ${limit} declared values`);
      }
      return { kind: 'enum', length: n, indices, values: type.values };
    }
    case 'optional': {
      const validity = read(ctx, `${path}.@present`, 'u8', type.pipeline, bitmapBytes(n));
      const k = countSetBits(validity, n);
      const inner = decodeColumn(type.inner, path, k, ctx);
      return { kind: 'optional', length: n, validity, nullCount: n - k, inner: k === n ? inner : expand(inner, validity, n) };
    }
    case 'list': {
      const offsets = readOffsets(ctx, `${path}.@len`, type.pipeline, n);
      const child = decodeColumn(type.inner, listChildPath(path, type.inner), offsets[n]!, ctx);
      return { kind: 'list', length: n, offsets, child };
    }
    case 'struct': {
      const children: Record<string, Column> = {};
      for (const [name, f] of Object.entries(type.fields)) children[name] = decodeColumn(f, `${path}.${name}`, n, ctx);
      return { kind: 'struct', length: n, children };
    }
    default: {
      const w = NUMERIC_ARRAYS[type.kind].BYTES_PER_ELEMENT;
      const raw = aligned(read(ctx, path, NUMERIC_ELEMENT[type.kind], type.pipeline, n * w), w);
      return { kind: type.kind, length: n, values: new NUMERIC_ARRAYS[type.kind](raw.buffer as ArrayBuffer, raw.byteOffset, n) };
    }
  }
}

/** Offsets with empty entries at null rows. */
function expandOffsets(offsets: Int32Array, validity: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n + 1);
  let j = 0;
  for (let i = 0; i < n; i++) {
    out[i + 1] = getBit(validity, i) ? offsets[++j]! : out[i]!;
  }
  return out;
}

function expandBits(bits: Uint8Array, validity: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(bitmapBytes(n));
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (getBit(validity, i)) {
      if (getBit(bits, j)) out[i >>> 3]! |= 1 << (i & 7);
      j++;
    }
  }
  return out;
}

/**
 * Spreads a column holding only the present rows to `n` rows, null rows getting zero/empty
 * values: the full-length layout Arrow and the builders use.
 */
function expand(col: Column, validity: Uint8Array, n: number): Column {
  switch (col.kind) {
    case 'bool': return { kind: 'bool', length: n, bits: expandBits(col.bits, validity, n) };
    case 'string': case 'bytes': return { kind: col.kind, length: n, offsets: expandOffsets(col.offsets, validity, n), data: col.data };
    case 'list': return { kind: 'list', length: n, offsets: expandOffsets(col.offsets, validity, n), child: col.child };
    case 'enum': {
      const out = col.indices instanceof Uint8Array ? new Uint8Array(n) : new Uint16Array(n);
      let j = 0;
      for (let i = 0; i < n; i++) if (getBit(validity, i)) out[i] = col.indices[j++]!;
      return { kind: 'enum', length: n, indices: out, values: col.values };
    }
    case 'optional':
      return {
        kind: 'optional', length: n, validity: expandBits(col.validity, validity, n),
        nullCount: col.nullCount + (n - col.length), inner: expand(col.inner, validity, n),
      };
    case 'struct': {
      const children: Record<string, Column> = {};
      for (const name in col.children) children[name] = expand(col.children[name]!, validity, n);
      return { kind: 'struct', length: n, children };
    }
    default: {
      const out = newNumericArray(col.kind, n) as Float64Array;
      const src = col.values as Float64Array;
      let j = 0;
      for (let i = 0; i < n; i++) if (getBit(validity, i)) out[i] = src[j++]!;
      return { kind: col.kind, length: n, values: out };
    }
  }
}

/**
 * Decodes the fields selected by `options.fields` (all when undefined) from encoded stream
 * bytes keyed by stream name. Streams outside the projection are never read. The batch's
 * schema is the projected schema. A needed stream that is absent or decodes to the wrong
 * size is a CorruptDataError naming it.
 */
export function decodeBatch(
  schema: RecordSchema,
  streams: Map<string, Uint8Array>,
  registry: CodecRegistry,
  options: DecodeBatchOptions,
): ColumnBatch {
  const n = options.records;
  if (!Number.isSafeInteger(n) || n < 0) throw new CorruptDataError(`record count ${String(n)} is not a non-negative integer`);
  const projected = projectSchema(schema, options.fields);
  const ctx: Ctx = { streams, registry, raw: options.raw === true };
  const columns: Record<string, Column> = {};
  for (const [name, type] of Object.entries(projected.fields)) columns[name] = decodeColumn(type, name, n, ctx);
  return { schema: projected, length: n, columns };
}
