/**
 * Batch -> row objects, the inverse of batchFromRows: for tests, JSON output and small
 * results. Hot paths stay columnar; this allocates one object per row by nature.
 */
import { InvalidArgumentError } from '../errors.js';
import { getBit, type Column, type ColumnBatch } from './column.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The value of row `i` of `col` as batchFromRows accepts it (null for an absent optional). */
export function columnValue(col: Column, i: number): unknown {
  switch (col.kind) {
    case 'bool': return getBit(col.bits, i);
    case 'string': return decoder.decode(col.data.subarray(col.offsets[i]!, col.offsets[i + 1]!));
    case 'bytes': return col.data.slice(col.offsets[i]!, col.offsets[i + 1]!);
    case 'enum': return col.values[col.indices[i]!];
    case 'optional': return getBit(col.validity, i) ? columnValue(col.inner, i) : null;
    case 'list': {
      const start = col.offsets[i]!;
      const end = col.offsets[i + 1]!;
      const out = new Array<unknown>(end - start);
      for (let j = start; j < end; j++) out[j - start] = columnValue(col.child, j);
      return out;
    }
    case 'struct': {
      const o: Record<string, unknown> = {};
      for (const name in col.children) o[name] = columnValue(col.children[name]!, i);
      return o;
    }
    default: return col.values[i];
  }
}

/** Row objects for rows [0, batch.length), with the given top-level columns (all when undefined). */
export function batchToRows(batch: ColumnBatch, fields?: readonly string[]): Record<string, unknown>[] {
  const names = fields ?? Object.keys(batch.columns);
  const cols = names.map((name) => {
    const col = batch.columns[name];
    if (!col) throw new InvalidArgumentError(`batchToRows: no column "${name}" in the batch (has ${Object.keys(batch.columns).join(', ') || 'none'})`);
    return col;
  });
  const rows = new Array<Record<string, unknown>>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < cols.length; c++) row[names[c]!] = columnValue(cols[c]!, i);
    rows[i] = row;
  }
  return rows;
}
