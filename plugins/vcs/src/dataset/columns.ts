/**
 * VcfRecords <-> Parquet columns. Site columns: CHROM, POS, END (1-based inclusive, INFO/END when
 * present as in htslib's rlen), ID, REF, ALT, QUAL, FILTER, one `INFO_<ID>` column per INFO
 * field, and `_info` / `_format` (each record's INFO key order and FORMAT keys, dictionary
 * encoded to almost nothing) so VCF output is exact. Sample columns: `<sample>:<KEY>`, one per
 * sample and FORMAT key, in sample-batch files. A field is stored typed (INT32, FLOAT, BOOLEAN
 * for flags) when every value in the chunk is a scalar, else as its VCF text (STRING).
 */
import type { FieldDef, Header } from '../header/header.js';
import { formatValue } from '../record/format.js';
import type { Value, VcfRecord } from '../record/record.js';
import type { ParquetColumn } from './parquet.js';

const latin1ToUtf8 = (s: string): string => (/[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s);
export const utf8ToLatin1 = (s: string): string => (/[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s);

export const SITE_COLUMNS = ['CHROM', 'POS', 'END', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', '_info', '_format'];
export const infoColumn = (id: string): string => `INFO_${id}`;
export const sampleColumn = (sample: string, key: string): string => `${sample}:${key}`;

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

/** Columns of samples `[from, to)` for every FORMAT key used in the chunk. */
export function sampleColumns(records: VcfRecord[], header: Header, from: number, to: number): ParquetColumn[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of records) for (const k of r.format) if (!seen.has(k)) (seen.add(k), keys.push(k));
  const cols: ParquetColumn[] = [];
  for (let s = from; s < to; s++) {
    for (const key of keys) {
      const values = records.map((r) => {
        const k = r.format.indexOf(key);
        return k < 0 ? null : (r.samples[k]![s] ?? null);
      });
      cols.push(fieldColumn(sampleColumn(header.samples[s]!, key), header.formatDef(key), values, key === 'GT'));
    }
  }
  return cols;
}

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? true : null;
  if (typeof v === 'number') return [v];
  if (typeof v === 'bigint') return [Number(v)];
  return utf8ToLatin1(String(v));
}

/** Rebuilds a record from a site row and the sample rows of the chosen samples (indexes into header.samples). */
export function assemble(site: Record<string, unknown>, sampleRows: { row: Record<string, unknown>; samples: number[] }[], header: Header, nSamples: number): VcfRecord {
  const infoKeys = site._info ? String(site._info).split(';') : [];
  const info: [string, Value][] = infoKeys.map((k) => {
    if (k.endsWith('!')) return [k.slice(0, -1), true];
    return [k, toValue(site[infoColumn(k)])];
  });
  const format = site._format ? String(site._format).split(':') : [];
  const samples: Value[][] = format.map(() => new Array<Value>(nSamples).fill(null));
  for (const { row, samples: idx } of sampleRows) {
    for (const s of idx) {
      const name = header.samples[s]!;
      for (let k = 0; k < format.length; k++) samples[k]![s] = toValue(row[sampleColumn(name, format[k]!)]);
    }
  }
  const alt = site.ALT === null || site.ALT === undefined ? [] : utf8ToLatin1(String(site.ALT)).split(',');
  return {
    chrom: utf8ToLatin1(String(site.CHROM)), pos: Number(site.POS), id: site.ID === null || site.ID === undefined ? '.' : utf8ToLatin1(String(site.ID)),
    ref: utf8ToLatin1(String(site.REF)), alt, qual: site.QUAL === null || site.QUAL === undefined ? null : Number(site.QUAL),
    filter: site.FILTER === null || site.FILTER === undefined ? null : utf8ToLatin1(String(site.FILTER)).split(';'), info, format, samples,
  };
}
