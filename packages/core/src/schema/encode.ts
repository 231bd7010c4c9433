/**
 * Batch -> streams (CARGO's record-to-stream split). Each field becomes the streams named in
 * streams.ts, each run through its own codec pipeline. Optional values are written for present
 * rows only, so the walk carries a row selection (null = every row) down the type tree.
 */
import { InvalidArgumentError } from '../errors.js';
import { encodePipeline, type CodecRegistry } from '../codec/pipeline.js';
import type { ElementType } from '../codec/types.js';
import {
  bitmapBytes, bytesOf, getBit, newNumericArray, type Column, type ColumnBatch,
} from './column.js';
import { listChildPath, NUMERIC_ELEMENT } from './streams.js';
import { enumIndexType, type FieldType, type RecordSchema } from './types.js';

export interface EncodedStream {
  name: string;
  pipeline: string;
  /** Unencoded element type (what the pipeline was given). */
  type: ElementType;
  /** Bytes before encoding. */
  rawLength: number;
  /** Encoded bytes. */
  bytes: Uint8Array;
}

type Emit = (name: string, type: ElementType, pipeline: string, raw: Uint8Array) => void;

/** Row indices; null means all rows 0..n-1. */
type Selection = Int32Array | null;

function lengthsOf(offsets: Int32Array, n: number, sel: Selection): Uint32Array {
  const m = sel ? sel.length : n;
  const lens = new Uint32Array(m);
  if (sel) for (let i = 0; i < m; i++) lens[i] = offsets[sel[i]! + 1]! - offsets[sel[i]!]!;
  else for (let i = 0; i < m; i++) lens[i] = offsets[i + 1]! - offsets[i]!;
  return lens;
}

function gatherBits(bits: Uint8Array, n: number, sel: Selection): Uint8Array {
  if (!sel) {
    const whole = bits.subarray(0, bitmapBytes(n));
    const tail = n & 7;
    // Bits past the n-th (left by a slice view) would make equal rows encode differently.
    if (tail === 0 || (whole[whole.length - 1]! >>> tail) === 0) return whole;
    const copy = whole.slice();
    copy[copy.length - 1]! &= (1 << tail) - 1;
    return copy;
  }
  const out = new Uint8Array(bitmapBytes(sel.length));
  for (let i = 0; i < sel.length; i++) if (getBit(bits, sel[i]!)) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

/** Concatenates data[offsets[r]..offsets[r+1]) for the selected rows. */
function gatherBytes(offsets: Int32Array, data: Uint8Array, lens: Uint32Array, sel: Int32Array): Uint8Array {
  let total = 0;
  for (let i = 0; i < lens.length; i++) total += lens[i]!;
  const out = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < sel.length; i++) {
    const start = offsets[sel[i]!]!;
    const len = lens[i]!;
    // Short values byte by byte: a subarray view per value would allocate per element.
    if (len < 64) for (let k = 0; k < len; k++) out[pos + k] = data[start + k]!;
    else out.set(data.subarray(start, start + len), pos);
    pos += len;
  }
  return out;
}

/** Child row indices covered by the selected list rows. */
function expandRanges(offsets: Int32Array, lens: Uint32Array, sel: Int32Array): Int32Array {
  let total = 0;
  for (let i = 0; i < lens.length; i++) total += lens[i]!;
  const out = new Int32Array(total);
  let pos = 0;
  for (let i = 0; i < sel.length; i++) {
    const start = offsets[sel[i]!]!;
    const end = start + lens[i]!;
    for (let r = start; r < end; r++) out[pos++] = r;
  }
  return out;
}

function checkKind(type: FieldType, col: Column, path: string): void {
  const ok = type.kind === col.kind;
  if (!ok) throw new InvalidArgumentError(`column "${path}" is ${col.kind} but the schema declares ${type.kind}`);
}

function checkOffsets(offsets: Int32Array, n: number, size: number, path: string): void {
  if (offsets.length < n + 1 || offsets[0] !== 0 || offsets[n] !== size) {
    throw new InvalidArgumentError(`column "${path}": offsets must have ${n + 1} entries from 0 to ${size}`);
  }
}

function encodeColumn(type: FieldType, col: Column, path: string, sel: Selection, emit: Emit): void {
  checkKind(type, col, path);
  const n = col.length;
  switch (col.kind) {
    case 'bool':
      emit(path, 'u8', (type as { pipeline: string }).pipeline, gatherBits(col.bits, n, sel));
      return;
    case 'string': case 'bytes': {
      const t = type as Extract<FieldType, { kind: 'string' | 'bytes' }>;
      checkOffsets(col.offsets, n, col.data.length, path);
      const lens = lengthsOf(col.offsets, n, sel);
      emit(`${path}.@len`, 'u32', t.lengthPipeline, bytesOf(lens));
      emit(path, 'bytes', t.pipeline, sel ? gatherBytes(col.offsets, col.data, lens, sel) : col.data);
      return;
    }
    case 'enum': {
      const t = type as Extract<FieldType, { kind: 'enum' }>;
      const et = enumIndexType(t.values);
      if ((et === 'u8') !== (col.indices instanceof Uint8Array) || col.values.length !== t.values.length) {
        throw new InvalidArgumentError(`column "${path}": enum indices do not match the ${t.values.length} declared values`);
      }
      let idx = col.indices.subarray(0, n);
      if (sel) {
        const g = et === 'u8' ? new Uint8Array(sel.length) : new Uint16Array(sel.length);
        for (let i = 0; i < sel.length; i++) g[i] = idx[sel[i]!]!;
        idx = g;
      }
      emit(path, et, t.pipeline, bytesOf(idx));
      return;
    }
    case 'optional': {
      const t = type as Extract<FieldType, { kind: 'optional' }>;
      emit(`${path}.@present`, 'u8', t.pipeline, gatherBits(col.validity, n, sel));
      let innerSel: Selection = null;
      if (sel || col.nullCount !== 0) {
        const rows = sel ? sel.length : n;
        const picked = new Int32Array(rows);
        let k = 0;
        for (let i = 0; i < rows; i++) {
          const r = sel ? sel[i]! : i;
          if (getBit(col.validity, r)) picked[k++] = r;
        }
        innerSel = picked.subarray(0, k);
      }
      if (col.inner.length !== n) throw new InvalidArgumentError(`column "${path}": inner column has ${col.inner.length} rows, expected ${n}`);
      encodeColumn(t.inner, col.inner, path, innerSel, emit);
      return;
    }
    case 'list': {
      const t = type as Extract<FieldType, { kind: 'list' }>;
      checkOffsets(col.offsets, n, col.child.length, path);
      const lens = lengthsOf(col.offsets, n, sel);
      emit(`${path}.@len`, 'u32', t.pipeline, bytesOf(lens));
      encodeColumn(t.inner, col.child, listChildPath(path, t.inner), sel ? expandRanges(col.offsets, lens, sel) : null, emit);
      return;
    }
    case 'struct': {
      const t = type as Extract<FieldType, { kind: 'struct' }>;
      for (const [name, f] of Object.entries(t.fields)) {
        const child = col.children[name];
        if (!child) throw new InvalidArgumentError(`column "${path}" has no child "${name}"`);
        if (child.length !== n) throw new InvalidArgumentError(`column "${path}.${name}" has ${child.length} rows, expected ${n}`);
        encodeColumn(f, child, `${path}.${name}`, sel, emit);
      }
      return;
    }
    default: {
      const t = type as Extract<FieldType, { kind: typeof col.kind }>;
      if (col.values.length < n) throw new InvalidArgumentError(`column "${path}" has ${col.values.length} values, expected ${n}`);
      let values = col.values.subarray(0, n);
      if (sel) {
        const g = newNumericArray(col.kind, sel.length);
        const src = values as Float64Array;
        const dst = g as Float64Array;
        for (let i = 0; i < sel.length; i++) dst[i] = src[sel[i]!]!;
        values = g;
      }
      emit(path, NUMERIC_ELEMENT[col.kind], t.pipeline, bytesOf(values));
    }
  }
}

/**
 * Encodes every field of `batch` into streams, in the order of `streamSpecs(schema)`.
 * A column that does not match the schema is an InvalidArgumentError naming it.
 */
export function encodeBatch(schema: RecordSchema, batch: ColumnBatch, registry: CodecRegistry): EncodedStream[] {
  const out: EncodedStream[] = [];
  const emit: Emit = (name, type, pipeline, raw) => {
    out.push({ name, pipeline, type, rawLength: raw.length, bytes: encodePipeline(registry, pipeline, raw, type) });
  };
  for (const [name, type] of Object.entries(schema.fields)) {
    const col = batch.columns[name];
    if (!col) throw new InvalidArgumentError(`batch has no column "${name}" declared by the schema`);
    if (col.length !== batch.length) throw new InvalidArgumentError(`column "${name}" has ${col.length} rows but the batch has ${batch.length}`);
    encodeColumn(type, col, name, null, emit);
  }
  return out;
}
