import { InvalidArgumentError } from './errors.js';

/**
 * A genomic interval in **0-based, half-open** coordinates: `[start, end)`.
 * Text regions (`chr1:1000-2000`) are 1-based closed as in samtools/tabix and are
 * converted once, by `parseRegion`. `end` may be `Infinity` (to the contig end).
 */
export interface Region {
  contig: string;
  start: number;
  end: number;
}

/**
 * Parses samtools-style regions: `chr`, `chr:beg`, `chr:beg-end`, `chr:-end`, `{chr}:beg-end`
 * for contig names containing ':'. `chr:beg` means from beg to the end of the contig (as
 * samtools/tabix do). Positions are 1-based inclusive in text.
 */
export function parseRegion(text: string, knownContigs?: ReadonlySet<string>): Region {
  const s = text.trim();
  if (!s) throw new InvalidArgumentError('empty region');
  if (s.startsWith('{')) {
    const close = s.indexOf('}');
    if (close < 0) throw new InvalidArgumentError(`region "${text}": unterminated {contig}`);
    const contig = s.slice(1, close);
    const rest = s.slice(close + 1);
    if (!rest) return { contig, start: 0, end: Infinity };
    if (!rest.startsWith(':')) throw new InvalidArgumentError(`region "${text}": expected ':' after {contig}`);
    return { contig, ...parseRange(rest.slice(1), text) };
  }
  // Whole name is a contig (it may contain ':' e.g. HLA alleles).
  if (knownContigs?.has(s)) return { contig: s, start: 0, end: Infinity };
  const colon = s.lastIndexOf(':');
  if (colon < 0) return { contig: s, start: 0, end: Infinity };
  const contig = s.slice(0, colon);
  const rest = s.slice(colon + 1);
  if (!/^[0-9,]*(-[0-9,]*)?$/.test(rest)) return { contig: s, start: 0, end: Infinity };
  return { contig, ...parseRange(rest, text) };
}

function parseRange(rest: string, text: string): { start: number; end: number } {
  const [a, b] = rest.split('-', 2);
  const num = (v: string | undefined): number | undefined => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v.replace(/,/g, ''));
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`region "${text}": bad position "${v}"`);
    return n;
  };
  const beg = num(a);
  const end = rest.includes('-') ? num(b) : undefined;
  const start = beg === undefined || beg === 0 ? 0 : beg - 1;
  const stop = end === undefined ? Infinity : end;
  if (stop < start) throw new InvalidArgumentError(`region "${text}": end before start`);
  return { start, end: stop };
}

/** Formats a region back to 1-based closed text. */
export function formatRegion(r: Region): string {
  if (r.start === 0 && r.end === Infinity) return r.contig;
  return `${r.contig}:${r.start + 1}-${r.end === Infinity ? '' : r.end}`;
}

/** True when `[aStart, aEnd)` overlaps `[bStart, bEnd)`. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}
