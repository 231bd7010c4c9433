/**
 * Row ranges and concatenation of batches, for partitioners that cut a stream of batches
 * into chunk-sized pieces. Slices share value buffers where the layout allows (numbers,
 * enum indices, string bytes) and copy only what must be rebased (offsets) or re-aligned
 * (bitmaps starting mid-byte).
 */
import { InvalidArgumentError } from '../errors.js';
import { bitmapBytes, getBit, newNumericArray, type Column, type ColumnBatch, type NumericArray } from './column.js';

function sliceBits(bits: Uint8Array, start: number, n: number): Uint8Array {
  if ((start & 7) === 0) return bits.subarray(start >>> 3, (start >>> 3) + bitmapBytes(n));
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) if (getBit(bits, start + i)) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

/** Offsets [start, start + n] rebased to begin at 0 (the batch invariant). */
function sliceOffsets(offsets: Int32Array, start: number, n: number): Int32Array {
  const base = offsets[start]!;
  const out = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) out[i] = offsets[start + i]! - base;
  return out;
}

function sliceColumn(col: Column, start: number, n: number): Column {
  switch (col.kind) {
    case 'bool': return { kind: 'bool', length: n, bits: sliceBits(col.bits, start, n) };
    case 'string': case 'bytes':
      return { kind: col.kind, length: n, offsets: sliceOffsets(col.offsets, start, n), data: col.data.subarray(col.offsets[start]!, col.offsets[start + n]!) };
    case 'enum': return { kind: 'enum', length: n, indices: col.indices.subarray(start, start + n), values: col.values };
    case 'optional': {
      const validity = sliceBits(col.validity, start, n);
      let present = 0;
      for (let i = 0; i < n; i++) if (getBit(validity, i)) present++;
      return { kind: 'optional', length: n, validity, nullCount: n - present, inner: sliceColumn(col.inner, start, n) };
    }
    case 'list': {
      const from = col.offsets[start]!;
      return { kind: 'list', length: n, offsets: sliceOffsets(col.offsets, start, n), child: sliceColumn(col.child, from, col.offsets[start + n]! - from) };
    }
    case 'struct': {
      const children: Record<string, Column> = {};
      for (const name in col.children) children[name] = sliceColumn(col.children[name]!, start, n);
      return { kind: 'struct', length: n, children };
    }
    default: return { kind: col.kind, length: n, values: col.values.subarray(start, start + n) };
  }
}

/** Rows [start, end) of the batch (end defaults to its length). */
export function sliceBatch(batch: ColumnBatch, start: number, end = batch.length): ColumnBatch {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > batch.length) {
    throw new InvalidArgumentError(`sliceBatch: bad row range [${start}, ${end}) of a ${batch.length}-row batch`);
  }
  const columns: Record<string, Column> = {};
  for (const name in batch.columns) columns[name] = sliceColumn(batch.columns[name]!, start, end - start);
  return { schema: batch.schema, length: end - start, columns };
}

function concatBits(parts: { bits: Uint8Array; n: number }[], total: number): Uint8Array {
  const out = new Uint8Array(bitmapBytes(total));
  let at = 0;
  for (const { bits, n } of parts) {
    if ((at & 7) === 0) {
      out.set(bits.subarray(0, bitmapBytes(n)), at >>> 3);
      // The source may carry stray bits past its n-th (a slice's view); they belong to the next part.
      if (n & 7) out[(at + n) >>> 3]! &= (1 << (n & 7)) - 1;
    } else for (let i = 0; i < n; i++) if (getBit(bits, i)) out[(at + i) >>> 3]! |= 1 << ((at + i) & 7);
    at += n;
  }
  return out;
}

function concatOffsets(cols: { offsets: Int32Array; length: number }[], total: number): Int32Array {
  const out = new Int32Array(total + 1);
  let row = 0;
  let base = 0;
  for (const c of cols) {
    for (let i = 1; i <= c.length; i++) out[row + i] = base + c.offsets[i]!;
    row += c.length;
    base = out[row]!;
  }
  if (base > 0x7fffffff) throw new InvalidArgumentError(`concatBatches: ${base} values overflow a column's int32 offsets`);
  return out;
}

function concatColumns(cols: Column[], total: number): Column {
  const first = cols[0]!;
  switch (first.kind) {
    case 'bool': return { kind: 'bool', length: total, bits: concatBits(cols.map((c) => ({ bits: (c as typeof first).bits, n: c.length })), total) };
    case 'string': case 'bytes': {
      const cs = cols as (typeof first)[];
      const data = new Uint8Array(cs.reduce((s, c) => s + c.data.length, 0));
      let at = 0;
      for (const c of cs) {
        data.set(c.data, at);
        at += c.data.length;
      }
      return { kind: first.kind, length: total, offsets: concatOffsets(cs, total), data };
    }
    case 'enum': {
      const cs = cols as (typeof first)[];
      const out = first.indices instanceof Uint8Array ? new Uint8Array(total) : new Uint16Array(total);
      let at = 0;
      for (const c of cs) {
        out.set(c.indices.subarray(0, c.length), at);
        at += c.length;
      }
      return { kind: 'enum', length: total, indices: out, values: first.values };
    }
    case 'optional': {
      const cs = cols as (typeof first)[];
      return {
        kind: 'optional', length: total, validity: concatBits(cs.map((c) => ({ bits: c.validity, n: c.length })), total),
        nullCount: cs.reduce((s, c) => s + c.nullCount, 0), inner: concatColumns(cs.map((c) => c.inner), total),
      };
    }
    case 'list': {
      const cs = cols as (typeof first)[];
      const childTotal = cs.reduce((s, c) => s + c.child.length, 0);
      return { kind: 'list', length: total, offsets: concatOffsets(cs, total), child: concatColumns(cs.map((c) => c.child), childTotal) };
    }
    case 'struct': {
      const children: Record<string, Column> = {};
      for (const name in first.children) {
        children[name] = concatColumns(cols.map((c) => (c as typeof first).children[name]!), total);
      }
      return { kind: 'struct', length: total, children };
    }
    default: {
      const out = newNumericArray(first.kind, total);
      let at = 0;
      for (const c of cols as (typeof first)[]) {
        (out as Float64Array).set(c.values.subarray(0, c.length) as NumericArray as Float64Array, at);
        at += c.length;
      }
      return { kind: first.kind, length: total, values: out };
    }
  }
}

/** One batch with the rows of all `batches` in order; they must share a schema (the same columns). */
export function concatBatches(batches: readonly ColumnBatch[]): ColumnBatch {
  if (batches.length === 0) throw new InvalidArgumentError('concatBatches needs at least one batch');
  const first = batches[0]!;
  const names = Object.keys(first.columns);
  for (const b of batches) {
    const cols = Object.keys(b.columns);
    if (cols.length !== names.length || cols.some((c, i) => c !== names[i] || b.columns[c]!.kind !== first.columns[c]!.kind)) {
      throw new InvalidArgumentError(`concatBatches: batch columns [${cols.join(', ')}] differ from [${names.join(', ')}]`);
    }
  }
  const total = batches.reduce((s, b) => s + b.length, 0);
  const columns: Record<string, Column> = {};
  for (const name of names) columns[name] = concatColumns(batches.map((b) => b.columns[name]!), total);
  return { schema: first.schema, length: total, columns };
}
