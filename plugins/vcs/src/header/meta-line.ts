/**
 * One `##` meta-information line of a VCF header. Structured lines (`##KEY=<k=v,…>`) are parsed
 * into ordered key/value pairs and written back the way htslib does (`bcftools view`): spaces
 * around keys and values dropped, quoted values kept with their quotes and escapes. Other lines
 * (`##key=value`) are kept byte for byte.
 */

export interface MetaLine {
  /** Text after `##` and before the first `=`. */
  key: string;
  /** Unstructured value (the rest of the line) when `pairs` is absent. */
  value: string;
  /** Structured pairs in order, values as written (quotes kept). */
  pairs?: [string, string][];
}

/** Parses `##…` (without the line end). Returns undefined for a structured line htslib would reject. */
export function parseMetaLine(line: string): MetaLine | undefined {
  const eq = line.indexOf('=');
  if (!line.startsWith('##') || eq < 0) return undefined;
  const key = line.slice(2, eq);
  const value = line.slice(eq + 1);
  if (!value.startsWith('<')) return { key, value };
  const pairs = parsePairs(value);
  return pairs ? { key, value, pairs } : undefined;
}

function parsePairs(v: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  let i = 1;
  const n = v.length;
  for (;;) {
    while (i < n && v[i] === ' ') i++;
    const eq = v.indexOf('=', i);
    if (eq < 0) return undefined;
    const k = v.slice(i, eq).trim();
    if (!k || /[,<>"]/.test(k)) return undefined;
    i = eq + 1;
    while (i < n && v[i] === ' ') i++;
    let val: string;
    if (v[i] === '"') {
      let j = i + 1;
      while (j < n && v[j] !== '"') j += v[j] === '\\' ? 2 : 1;
      if (j >= n) return undefined;
      val = v.slice(i, j + 1);
      i = j + 1;
      while (i < n && v[i] === ' ') i++;
    } else {
      let j = i;
      while (j < n && v[j] !== ',' && v[j] !== '>') {
        if (v[j] === '[') {
          const close = v.indexOf(']', j);
          if (close < 0) return undefined;
          j = close;
        }
        j++;
      }
      val = v.slice(i, j).trim();
      i = j;
    }
    pairs.push([k, val]);
    if (v[i] === ',') {
      i++;
      continue;
    }
    if (v[i] === '>') return v.slice(i + 1).trim() === '' ? pairs : undefined;
    return undefined;
  }
}

/** The value of `name` in a structured line, unquoted. */
export function pairValue(m: MetaLine, name: string): string | undefined {
  const p = m.pairs?.find(([k]) => k === name);
  if (!p) return undefined;
  const v = p[1];
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

/** The line as `bcftools view` prints it. */
export function formatMetaLine(m: MetaLine): string {
  if (!m.pairs) return `##${m.key}=${m.value}`;
  return `##${m.key}=<${m.pairs.map(([k, v]) => `${k}=${v}`).join(',')}>`;
}
