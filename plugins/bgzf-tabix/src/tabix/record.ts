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
 * Allocates its result; the indexer uses LineParser, which does not.
 */
export function parseLine(line: Uint8Array, c: TabixConfig): LineInterval | string {
  const p = new LineParser(c);
  const err = p.parse(line, 0, line.length);
  return err ?? { nameStart: p.nameStart, nameEnd: p.nameEnd, beg: p.beg, end: p.end };
}

/**
 * parseLine over `buf[from, to)` in one pass over the bytes, writing into its own fields: no
 * arrays, closures or result objects per line (those were a third of index build time, profiled
 * on an 80 MB VCF). Offsets are into `buf`.
 */
export class LineParser implements LineInterval {
  nameStart = 0;
  nameEnd = 0;
  beg = 0;
  end = 0;
  private readonly last: number;
  private readonly vcf: boolean;
  private readonly sam: boolean;

  constructor(private readonly c: TabixConfig) {
    this.vcf = c.preset === 'vcf';
    this.sam = c.preset === 'sam';
    this.last = Math.max(c.seq, c.begin, c.end, this.vcf ? 8 : this.sam ? 6 : 0);
  }

  /** Parses a line; undefined on success, else what is wrong. */
  parse(buf: Uint8Array, from: number, to: number): string | undefined {
    const c = this.c;
    let seqS = -1, seqE = -1, begS = -1, begE = -1, endS = -1, endE = -1, refS = -1, refE = -1, auxS = -1, auxE = -1;
    const aux = this.vcf ? 8 : this.sam ? 6 : -1;
    let col = 1;
    let start = from;
    for (let i = from; ; i++) {
      if (i === to || buf[i] === TAB) {
        if (col === c.seq) (seqS = start), (seqE = i);
        if (col === c.begin) (begS = start), (begE = i);
        if (col === c.end) (endS = start), (endE = i);
        if (col === 4) (refS = start), (refE = i);
        if (col === aux) (auxS = start), (auxE = i);
        if (col === this.last || i === to) break;
        col++;
        start = i + 1;
      }
    }
    if (seqS < 0 || begS < 0) return `fewer than ${Math.max(c.seq, c.begin)} columns`;
    const begValue = parseUint(buf, begS, begE);
    if (Number.isNaN(begValue)) return `column ${c.begin} is not a position`;
    const beg = c.zeroBased ? begValue : Math.max(0, begValue - 1);
    let end = beg + 1;
    if (this.vcf) {
      if (refS >= 0) end = beg + Math.max(1, refE - refS);
      const e = auxS >= 0 ? infoEnd(buf, auxS, auxE) : undefined;
      // INFO/END below POS is ignored, as htslib does (it warns once).
      if (e !== undefined && e > beg) end = e;
    } else if (this.sam) {
      const len = auxS >= 0 ? cigarLength(buf, auxS, auxE) : 0;
      end = beg + Math.max(1, len);
    } else if (c.end > 0) {
      if (endS < 0) return `fewer than ${c.end} columns`;
      const v = parseUint(buf, endS, endE);
      if (Number.isNaN(v)) return `column ${c.end} is not a position`;
      end = Math.max(v, beg + 1);
    }
    this.nameStart = seqS;
    this.nameEnd = seqE;
    this.beg = beg;
    this.end = end;
    return undefined;
  }
}
