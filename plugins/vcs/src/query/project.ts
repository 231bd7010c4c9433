/**
 * `--fields` for the table outputs (tsv, jsonl, arrow, parquet): field names -> output columns
 * with a fixed type, and the typed cell of a stored value. A FORMAT field gives one column per
 * selected sample, named `<sample>:<ID>` as in the dataset. Without `--fields`: the fixed
 * columns and every INFO field of the header.
 */
import { InvalidArgumentError } from '@genolake/core';
import type { Header } from '../header/header.js';
import { FIXED_FIELDS, resolveField, type FieldRef } from './fields.js';

export type CellType = 'string' | 'int' | 'float' | 'bool';

export interface OutColumn {
  name: string;
  field: FieldRef;
  type: CellType;
  /** Sample index, for FORMAT fields. */
  sample?: number;
}

export function projectFields(names: readonly string[] | undefined, header: Header, undeclared: readonly string[], samples: readonly number[]): OutColumn[] {
  const list = names ?? [...FIXED_FIELDS, ...[...header.info.keys()].map((id) => `INFO/${id}`)];
  const out: OutColumn[] = [];
  for (const name of list) {
    const f = resolveField(name, header, undeclared);
    if (typeof f === 'string') throw new InvalidArgumentError(`--fields: ${f}`);
    const type: CellType = f.type === 'flag' ? 'bool' : f.column === 'POS' ? 'int' : f.number === '1' && (f.type === 'int' || f.type === 'float') && f.column !== 'GT' ? f.type : 'string';
    if (f.scope === 'site') out.push({ name: f.name, field: f, type });
    else for (const s of samples) out.push({ name: `${header.samples[s]}:${f.column}`, field: f, type, sample: s });
  }
  return out;
}

/** A stored value as the column's type: number, string, boolean or null (missing). */
export function cell(c: OutColumn, v: unknown): string | number | boolean | null {
  if (c.type === 'bool') return v === true;
  if (v === null || v === undefined) return null;
  if (c.type === 'int' || c.type === 'float') {
    const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(String(v));
    if (!Number.isFinite(n)) return null;
    return c.type === 'float' ? Math.fround(n) : n;
  }
  return typeof v === 'string' ? v : String(v);
}
