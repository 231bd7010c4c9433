/**
 * Which bytes of a line are its keys, and how keys are ordered. A key is a whole column
 * (`column`, 1-based, tab-separated) or, with `attr`, the value of one attribute inside that
 * column: GFF3 `Name=BRCA1;` (comma-separated values give one key each) or GTF
 * `gene_id "ENSG0001";`. Values are raw bytes (no percent-decoding, no UTF-8 validation).
 *
 * Order: ASCII case-folded bytes first, then the raw bytes. So every spelling of a key that
 * differs only in ASCII case is contiguous (case-insensitive lookups read one run) and each exact
 * spelling is contiguous inside it (case-sensitive lookups stay exact).
 */
import { InvalidArgumentError } from '@genolake/core';

export interface KeySpec {
  /** 1-based column holding the key (or the attributes). */
  column: number;
  /** Attribute name inside the column (GFF3 `NAME=v`, GTF `NAME "v"`), or none: the whole column. */
  attr?: string;
  /** Lines starting with this character are headers (empty: none). */
  meta: string;
  /** Leading lines to skip. */
  skip: number;
}

export function checkSpec(spec: KeySpec): KeySpec {
  if (!Number.isSafeInteger(spec.column) || spec.column < 1) throw new InvalidArgumentError(`key index: column must be >= 1, got ${spec.column}`);
  if (spec.attr !== undefined && (spec.attr.length === 0 || /[\t;= "]/.test(spec.attr))) {
    throw new InvalidArgumentError(`key index: bad attribute name "${spec.attr}"`);
  }
  if (spec.meta.length > 1) throw new InvalidArgumentError(`key index: the comment marker must be one character, got "${spec.meta}"`);
  if (!Number.isSafeInteger(spec.skip) || spec.skip < 0) throw new InvalidArgumentError(`key index: skip must be >= 0, got ${spec.skip}`);
  return spec;
}

const TAB = 9;
const SEMI = 59;
const SPACE = 32;
const QUOTE = 34;
const EQ = 61;
const COMMA = 44;

/** First `byte` in `buf[from, to)`, or -1. A loop rather than indexOf: indexOf cannot stop at `to`. */
function find(buf: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === byte) return i;
  return -1;
}

/**
 * Calls `emit(start, end)` for each key of the line `buf[from, to)` (no newline); returns how
 * many. Allocation-free: the caller copies what it keeps.
 */
export class KeyExtractor {
  private readonly attr: Uint8Array | undefined;

  constructor(readonly spec: KeySpec) {
    this.attr = spec.attr === undefined ? undefined : Buffer.from(spec.attr, 'latin1');
  }

  extract(buf: Uint8Array, from: number, to: number, emit: (start: number, end: number) => void): number {
    let start = from;
    for (let c = 1; c < this.spec.column; c++) {
      const tab = find(buf, TAB, start, to);
      if (tab < 0) return 0;
      start = tab + 1;
    }
    let end = find(buf, TAB, start, to);
    if (end < 0) end = to;
    if (end > start && buf[end - 1] === 13) end--;
    if (!this.attr) {
      if (end === start) return 0;
      emit(start, end);
      return 1;
    }
    return this.attribute(buf, start, end, emit);
  }

  private attribute(line: Uint8Array, from: number, to: number, emit: (start: number, end: number) => void): number {
    const a = this.attr!;
    let p = from;
    while (p < to) {
      while (p < to && line[p] === SPACE) p++;
      let semi = p;
      // A quoted GTF value may hold ';'.
      let inQuote = false;
      while (semi < to && (inQuote || line[semi] !== SEMI)) {
        if (line[semi] === QUOTE) inQuote = !inQuote;
        semi++;
      }
      if (semi - p > a.length && matches(line, p, a)) {
        const sep = line[p + a.length];
        if (sep === EQ) return gff3Values(line, p + a.length + 1, semi, emit);
        if (sep === SPACE) return gtfValue(line, p + a.length + 1, semi, emit);
      }
      p = semi + 1;
    }
    return 0;
  }
}

function gff3Values(line: Uint8Array, from: number, to: number, emit: (start: number, end: number) => void): number {
  let n = 0;
  let s = from;
  for (let i = from; i <= to; i++) {
    if (i === to || line[i] === COMMA) {
      if (i > s) {
        emit(s, i);
        n++;
      }
      s = i + 1;
    }
  }
  return n;
}

function gtfValue(line: Uint8Array, from: number, to: number, emit: (start: number, end: number) => void): number {
  let s = from;
  while (s < to && line[s] === SPACE) s++;
  let e = to;
  while (e > s && line[e - 1] === SPACE) e--;
  if (e - s >= 2 && line[s] === QUOTE && line[e - 1] === QUOTE) {
    s++;
    e--;
  }
  if (e <= s) return 0;
  emit(s, e);
  return 1;
}

function matches(line: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (line[at + i] !== word[i]) return false;
  return true;
}

/** ASCII lower case of one byte. */
export function fold(b: number): number {
  return b >= 65 && b <= 90 ? b + 32 : b;
}

/** The index order: case-folded bytes, then raw bytes. */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return compareRanges(a, 0, a.length, b, 0, b.length);
}

/** compareKeys over `a[as, ae)` and `b[bs, be)`, without making views (the sorter's hot path). */
export function compareRanges(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = la < lb ? la : lb;
  let raw = 0;
  for (let i = 0; i < n; i++) {
    const x = a[as + i]!;
    const y = b[bs + i]!;
    if (x === y) continue;
    const fx = x >= 65 && x <= 90 ? x + 32 : x;
    const fy = y >= 65 && y <= 90 ? y + 32 : y;
    if (fx !== fy) return fx - fy;
    if (raw === 0) raw = x - y;
  }
  if (la !== lb) return la - lb;
  return raw;
}

/** Compares the case-folded bytes only. */
export function compareFolded(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = fold(a[i]!) - fold(b[i]!);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** `key` starts with `prefix` (exactly, or ignoring ASCII case). */
export function hasPrefix(key: Uint8Array, prefix: Uint8Array, ignoreCase: boolean): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (ignoreCase ? fold(key[i]!) !== fold(prefix[i]!) : key[i] !== prefix[i]) return false;
  }
  return true;
}

export function equalBytes(a: Uint8Array, b: Uint8Array, ignoreCase: boolean): boolean {
  return a.length === b.length && hasPrefix(a, b, ignoreCase);
}
