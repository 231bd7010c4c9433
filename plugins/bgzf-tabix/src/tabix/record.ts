/**
 * Finds a line's sequence name and interval from its columns, as tabix does: the VCF preset takes
 * the end from the REF length or INFO/END, the SAM preset from the CIGAR, generic formats from
 * the end column. Works on bytes: names are only decoded when they change.
 */
import type { TabixConfig } from './config.js';

/** Interval of a line, 0-based half-open; `name` spans bytes [nameStart, nameEnd) of the line. */
export interface LineInterval {
  nameStart: number;
  nameEnd: number;
  beg: number;
  end: number;
}

const TAB = 9;

/** Parses an unsigned decimal in `line[start, end)`; NaN when it is not one. */
function parseUint(line: Uint8Array, start: number, end: number): number {
  if (start >= end) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = line[i]! - 48;
    if (d < 0 || d > 9) return i > start && (line[i] === 13 || line[i] === 32) ? n : NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Reference length of a CIGAR string (M, D, N, =, X consume the reference). */
function cigarLength(line: Uint8Array, start: number, end: number): number {
  let len = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = line[i]!;
    if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
    else {
      if (c === 77 || c === 68 || c === 78 || c === 61 || c === 88) len += n;
      n = 0;
    }
  }
  return len;
}

/** The value of INFO/END when present as a whole key (`END=` at the start or after ';'). */
function infoEnd(line: Uint8Array, start: number, end: number): number | undefined {
  for (let i = start; i + 4 <= end; i++) {
    if ((i === start || line[i - 1] === 59) && line[i] === 69 && line[i + 1] === 78 && line[i + 2] === 68 && line[i + 3] === 61) {
      let j = i + 4;
      while (j < end && line[j] !== 59) j++;
      const v = parseUint(line, i + 4, j);
      return Number.isNaN(v) ? undefined : v;
    }
  }
  return undefined;
}

/**
 * Interval of one data line, or a string saying which column is bad. `line` excludes the newline.
 */
export function parseLine(line: Uint8Array, c: TabixConfig): LineInterval | string {
  // Column boundaries up to the last column we need (INFO is column 8 for VCF).
  const need = Math.max(c.seq, c.begin, c.end, c.preset === 'vcf' ? 8 : c.preset === 'sam' ? 6 : 0);
  const starts: number[] = [0];
  const ends: number[] = [];
  let p = 0;
  while (starts.length <= need) {
    const tab = line.indexOf(TAB, p);
    if (tab < 0) break;
    ends.push(tab);
    starts.push(tab + 1);
    p = tab + 1;
  }
  ends.push(line.indexOf(TAB, p) < 0 ? line.length : line.indexOf(TAB, p));
  const col = (k: number): [number, number] | undefined => (k >= 1 && k <= ends.length ? [starts[k - 1]!, ends[k - 1]!] : undefined);
  const seq = col(c.seq);
  const begCol = col(c.begin);
  if (!seq || !begCol) return `fewer than ${Math.max(c.seq, c.begin)} columns`;
  const begValue = parseUint(line, begCol[0], begCol[1]);
  if (Number.isNaN(begValue)) return `column ${c.begin} is not a position`;
  const beg = c.zeroBased ? begValue : Math.max(0, begValue - 1);
  let end = beg + 1;
  if (c.preset === 'vcf') {
    const ref = col(4);
    if (ref) end = beg + Math.max(1, ref[1] - ref[0]);
    const info = col(8);
    const e = info && infoEnd(line, info[0], info[1]);
    // INFO/END below POS is ignored, as htslib does (it warns once).
    if (e !== undefined && e > beg) end = e;
  } else if (c.preset === 'sam') {
    const cigar = col(6);
    const len = cigar ? cigarLength(line, cigar[0], cigar[1]) : 0;
    end = beg + Math.max(1, len);
  } else if (c.end > 0) {
    const e = col(c.end);
    if (!e) return `fewer than ${c.end} columns`;
    const v = parseUint(line, e[0], e[1]);
    if (Number.isNaN(v)) return `column ${c.end} is not a position`;
    end = Math.max(v, beg + 1);
  }
  return { nameStart: seq[0], nameEnd: seq[1], beg, end };
}
