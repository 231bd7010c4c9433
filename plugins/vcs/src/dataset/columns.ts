/**
 * VcfRecords <-> Parquet columns. Site columns: CHROM, POS, END (1-based inclusive, INFO/END when
 * present as in htslib's rlen), ID, REF, ALT, QUAL, FILTER, one `INFO_<ID>` column per INFO
 * field, and `_info` / `_format` (each record's INFO key order and FORMAT keys, dictionary
 * encoded to almost nothing) so VCF output is exact. A site field is stored typed (INT32, FLOAT,
 * BOOLEAN for flags) when every value in the chunk is a scalar, else as its VCF text (STRING).
 * Sample columns: one matrix column per FORMAT key and group of samples, in sample-batch files.
 */
import type { FieldDef, Header } from '../header/header.js';
import { formatValue } from '../record/format.js';
import type { Value, VcfRecord } from '../record/record.js';
import { codingOf, encodeRow } from './matrix/matrix.js';
import { rowRange } from './matrix/numbers.js';
import type { ParquetColumn } from './parquet.js';

const latin1ToUtf8 = (s: string): string => (/[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s);
export const utf8ToLatin1 = (s: string): string => (/[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s);

export const SITE_COLUMNS = ['CHROM', 'POS', 'END', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', '_info', '_format'];
export const infoColumn = (id: string): string => `INFO_${id}`;

/** 1-based inclusive end: INFO/END when it is a positive integer, else POS + len(REF) - 1. */
export function siteEnd(r: VcfRecord): number {
  const e = r.info.find(([k]) => k === 'END')?.[1];
  if (Array.isArray(e) && typeof e[0] === 'number' && e[0] >= r.pos) return e[0];
  return r.pos + Math.max(1, r.ref.length) - 1;
}

function fieldColumn(name: string, def: FieldDef, values: Value[], isGT: boolean): ParquetColumn {
  if (def.type === 'Flag' && values.every((v) => v === null || v === true)) return { name, type: 'BOOLEAN', data: values.map((v) => (v === true ? true : null)) };
  const scalar = !isGT && def.number === '1' && (def.type === 'Integer' || def.type === 'Float')
    && values.every((v) => v === null || (Array.isArray(v) && v.length <= 1));
  if (scalar) {
    return { name, type: def.type === 'Integer' ? 'INT32' : 'FLOAT', data: values.map((v) => (Array.isArray(v) && v.length === 1 ? v[0] : null)) };
  }
  const float = def.type === 'Float';
  return { name, type: 'STRING', data: values.map((v) => (v === null ? null : v === true ? null : latin1ToUtf8(formatValue(v, float)))) };
}

export function siteColumns(records: VcfRecord[], header: Header): ParquetColumn[] {
  const n = records.length;
  const pos = new Array<bigint>(n), end = new Array<bigint>(n);
  const infoIds: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    pos[i] = BigInt(r.pos);
    end[i] = BigInt(siteEnd(r));
    for (const [k] of r.info) if (!seen.has(k)) (seen.add(k), infoIds.push(k));
  }
  const cols: ParquetColumn[] = [
    { name: 'CHROM', type: 'STRING', data: records.map((r) => latin1ToUtf8(r.chrom)), nullable: false },
    { name: 'POS', type: 'INT64', data: pos, nullable: false },
    { name: 'END', type: 'INT64', data: end, nullable: false },
    { name: 'ID', type: 'STRING', data: records.map((r) => (r.id === '.' ? null : latin1ToUtf8(r.id))) },
    { name: 'REF', type: 'STRING', data: records.map((r) => latin1ToUtf8(r.ref)), nullable: false },
    { name: 'ALT', type: 'STRING', data: records.map((r) => (r.alt.length ? latin1ToUtf8(r.alt.join(',')) : null)) },
    { name: 'QUAL', type: 'FLOAT', data: records.map((r) => r.qual) },
    { name: 'FILTER', type: 'STRING', data: records.map((r) => (r.filter === null ? null : latin1ToUtf8(r.filter.join(';')))) },
    // '!' marks a value-less key that is not a Flag (htslib prints it bare)
    { name: '_info', type: 'STRING', data: records.map((r) => (r.info.length ? r.info.map(([k, v]) => (v === true && header.infoDef(k).type !== 'Flag' ? `${k}!` : k)).join(';') : null)) },
    { name: '_format', type: 'STRING', data: records.map((r) => (r.format.length ? r.format.join(':') : null)) },
  ];
  for (const id of infoIds) {
    const values = records.map((r) => r.info.find(([k]) => k === id)?.[1] ?? null);
    cols.push(fieldColumn(infoColumn(id), header.infoDef(id), values, false));
  }
  return cols;
}

/** The FORMAT keys used by `records`, in first-use order. */
export function formatKeysOf(records: readonly VcfRecord[]): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of records) for (const k of r.format) if (!seen.has(k)) (seen.add(k), keys.push(k));
  return keys;
}

/** The input's samples cut into batches of `batch` and matrix groups of `group`: [batch index, group in batch, from, to). */
export function sampleGroups(n: number, batch: number, group: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let from = 0, bi = 0; from < n; from += batch, bi++) {
    const to = Math.min(n, from + batch);
    for (let a = from, g = 0; a < to; a += group, g++) out.push([bi, g, a, Math.min(to, a + group)]);
  }
  return out;
}

/**
 * A record with its sample values encoded at once (matrix/matrix.ts), one cell per FORMAT key and
 * matrix group, and its parsed sample values dropped: a part of a 10,000-sample VCF then holds
 * ~7 bytes per sample and site instead of the parsed values' ~40 per value.
 */
export interface EncodedRecord {
  site: VcfRecord;
  cells: Map<string, Uint8Array[]>;
  /** The marker-major block (markers.ts), when written. */
  block?: Uint8Array;
}

export function encodeRecord(r: VcfRecord, header: Header, groups: readonly [number, number, number, number][]): EncodedRecord {
  if (r.cells) {
    const { cells, ...site } = r;
    return { site, cells };
  }
  const cells = new Map<string, Uint8Array[]>();
  r.format.forEach((key, k) => {
    const coding = codingOf(key, header.formatDef(key));
    const values = r.samples[k]!;
    cells.set(key, groups.map(([, , a, b]) => encodeRow(values.slice(a, b), coding)));
  });
  return { site: { ...r, samples: [] }, cells };
}

/** Bytes an encoded record holds (for cutting parts). */
export function encodedBytes(e: EncodedRecord): number {
  let n = 96 + e.site.ref.length + e.site.info.length * 16 + (e.block?.length ?? 0);
  for (const cs of e.cells.values()) for (const c of cs) n += c.length + 16;
  return n;
}

/**
 * Matrix columns of one batch of an encoded part (`groups` indexes its groups in the record's cell
 * lists; `n` is a group's sample count): for each matrix group and FORMAT key one BYTE_ARRAY
 * column `<KEY>.<g>`, null where the record lacks the key. Group-major order: a group's columns
 * are adjacent, so a sample subset is one short byte span. Then, for each scalar number key of
 * `scalars`, `_min:<KEY>` and `_max:<KEY>`: per row the smallest and largest value of the batch's
 * samples (null: none has one; the type's extremes when unknown), whose Parquet statistics let a
 * FORMAT filter skip row groups (query/prune.ts).
 */
export function sampleColumns(rows: readonly (EncodedRecord | null)[], groups: readonly { index: number; local: number; n: number }[], scalars: ReadonlyMap<string, 'int' | 'float'> = new Map()): ParquetColumn[] {
  const keys = formatKeysOf(rows.flatMap((r) => (r ? [r.site] : [])));
  const cols: ParquetColumn[] = [];
  for (const { index, local } of groups) {
    for (const key of keys) {
      cols.push({ name: matrixColumn(key, local), type: 'BYTE_ARRAY', data: rows.map((r) => r?.cells.get(key)?.[index] ?? null), statistics: false });
    }
  }
  for (const key of keys) {
    const kind = scalars.get(key);
    if (!kind) continue;
    const lo = new Array<number | null>(rows.length), hi = new Array<number | null>(rows.length);
    const [least, most] = kind === 'int' ? [-2147483648, 2147483647] : [-Infinity, Infinity];
    for (let i = 0; i < rows.length; i++) {
      const cells = rows[i]?.cells.get(key);
      let a: number | null = null, b: number | null = null;
      for (const { index, n } of groups) {
        const r = rowRange(cells?.[index], n);
        if (r === null) continue;
        if (r === undefined) { a = least; b = most; break; }
        if (a === null || r.min < a) a = r.min;
        if (b === null || r.max > b) b = r.max;
      }
      lo[i] = a;
      hi[i] = b;
    }
    const type = kind === 'int' ? 'INT32' : 'FLOAT';
    cols.push({ name: rangeColumn('min', key), type, data: lo }, { name: rangeColumn('max', key), type, data: hi });
  }
  return cols;
}

/** The statistics columns of a scalar FORMAT key in sample-batch files (':' cannot occur in a FORMAT key, so these never look like `<KEY>.<g>`). */
export const rangeColumn = (which: 'min' | 'max', key: string): string => `_${which}:${key}`;

/** FORMAT keys whose rows get `_min`/`_max` columns: Number=1 Integer and Float. */
export function scalarKeys(header: Header): Map<string, 'int' | 'float'> {
  const out = new Map<string, 'int' | 'float'>();
  for (const [key, def] of header.format) if (def.number === '1' && (def.type === 'Integer' || def.type === 'Float')) out.set(key, def.type === 'Integer' ? 'int' : 'float');
  return out;
}

export const matrixColumn = (key: string, g: number): string => `${key}.${g}`;

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? true : null;
  if (typeof v === 'number') return [v];
  if (typeof v === 'bigint') return [Number(v)];
  return utf8ToLatin1(String(v));
}

/**
 * Rebuilds a record from a site row; `value(key, s)` gives sample `s`'s value of a FORMAT key
 * (s indexes header.samples). `extraKeys` are FORMAT keys of sample batches added later that the
 * site row's `_format` lacks (their union is the record's FORMAT).
 */
export function assemble(site: Record<string, unknown>, value: (key: string, s: number) => Value, header: Header, samples: readonly number[], extraKeys: readonly string[] = []): VcfRecord {
  const infoKeys = site._info ? String(site._info).split(';') : [];
  const info: [string, Value][] = infoKeys.map((k) => {
    if (k.endsWith('!')) return [k.slice(0, -1), true];
    return [k, toValue(site[infoColumn(k)])];
  });
  const format = site._format ? String(site._format).split(':') : [];
  for (const k of extraKeys) if (!format.includes(k)) format.push(k);
  const n = header.samples.length;
  // no samples asked (VcsDataset.writeLines formats them from the cells itself): no value arrays
  const values: Value[][] = samples.length ? format.map((key) => {
    const col = new Array<Value>(n).fill(null);
    for (const s of samples) col[s] = value(key, s);
    return col;
  }) : [];
  const alt = site.ALT === null || site.ALT === undefined ? [] : utf8ToLatin1(String(site.ALT)).split(',');
  return {
    chrom: utf8ToLatin1(String(site.CHROM)), pos: Number(site.POS), id: site.ID === null || site.ID === undefined ? '.' : utf8ToLatin1(String(site.ID)),
    ref: utf8ToLatin1(String(site.REF)), alt, qual: site.QUAL === null || site.QUAL === undefined ? null : Number(site.QUAL),
    filter: site.FILTER === null || site.FILTER === undefined ? null : utf8ToLatin1(String(site.FILTER)).split(';'), info, format, samples: values,
  };
}
