/** VcfRecord -> one VCF data line as `bcftools view` prints it (without the line end). */
import type { Header } from '../header/header.js';
import { formatFloat } from './float.js';
import type { Value, VcfRecord } from './record.js';

export function formatValue(v: Value, float: boolean): string {
  if (v === null) return '.';
  if (typeof v === 'string') return v;
  if (v === true) return '';  // a bare key: Flag, or a value-less key htslib also prints bare
  let s = '';
  for (let i = 0; i < v.length; i++) {
    if (i) s += ',';
    const x = v[i];
    s += x === null || x === undefined ? '.' : float ? formatFloat(x) : String(x);
  }
  return s;
}

/**
 * Formats `r`; `columns` selects sample columns by index (all when absent), as `bcftools view -s`.
 */
export function formatRecord(r: VcfRecord, header: Header, columns?: readonly number[]): string {
  let s = `${r.chrom}\t${r.pos}\t${r.id}\t${r.ref}\t${r.alt.length ? r.alt.join(',') : '.'}\t${r.qual === null ? '.' : formatFloat(r.qual)}\t`;
  s += r.filter === null ? '.' : r.filter.length ? r.filter.join(';') : 'PASS';
  s += '\t';
  if (r.info.length === 0) s += '.';
  else {
    for (let i = 0; i < r.info.length; i++) {
      const [k, v] = r.info[i]!;
      if (i) s += ';';
      s += k;
      if (v !== true) s += `=${formatValue(v, header.infoDef(k).type === 'Float')}`;
    }
  }
  const nSamples = columns ? columns.length : header.samples.length;
  if (nSamples === 0) return s;
  s += `\t${r.format.length ? r.format.join(':') : '.'}`;
  const floats = r.format.map((k) => header.formatDef(k).type === 'Float');
  for (let j = 0; j < nSamples; j++) {
    const si = columns ? columns[j]! : j;
    s += '\t';
    if (r.format.length === 0) s += '.';
    for (let k = 0; k < r.format.length; k++) {
      if (k) s += ':';
      s += formatValue(r.samples[k]![si] ?? null, floats[k]!);
    }
  }
  return s;
}
