/**
 * Integer and Float FORMAT values of all samples of a group at one site as bytes:
 *
 *   byte 0   code: width w (1, 2 or 4 bytes) | (e + 1) << 4 for floats stored as k / 10^e
 *            (e in 0..6; taken only when every value round-trips bit for bit through float32),
 *            0x84 for raw float32 bits; 0 = no sample has a value (no further bytes)
 *   byte 1   V, values per sample (the longest vector of the row, 1..255)
 *   then     n·V little-endian values of w bytes, byte-plane split (all first bytes, then all
 *            second bytes, …), which zstd compresses far better than interleaved bytes
 *
 * Sentinels as in BCF: missing = the type's minimum (−128, −32768, −2^31; float 0x7F800001),
 * vector end = minimum + 1 (float 0x7F800002). A sample without a value is missing followed by
 * vector ends. Vectors longer than 255 do not fit: the row falls back to text (matrix.ts).
 */
import type { ByteOut } from '../../io/byte-out.js';
import { formatFloat } from '../../record/float.js';
import { shortestFloat32 } from '../../query/output/float32.js';

export const RAW_FLOAT = 0x84;
const F_MISSING = 0x7f800001, F_END = 0x7f800002;
const MIN = { 1: -128, 2: -32768, 4: -2147483648 } as const;
const MAX = { 1: 127, 2: 32767, 4: 2147483647 } as const;
type Width = 1 | 2 | 4;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Per decimal scale, the shortest decimals of two-byte words (NaN = not yet computed). */
const PLAIN = new Map<number, Float64Array>();
function plainTable(scale: number): Float64Array {
  let table = PLAIN.get(scale);
  if (!table) PLAIN.set(scale, (table = new Float64Array(65536).fill(NaN)));
  return table;
}

function vectors(values: readonly unknown[]): { v: number; ok: boolean; any: boolean } {
  let v = 1, any = false;
  for (const x of values) {
    if (x === null || x === undefined) continue;
    if (!Array.isArray(x)) return { v, ok: false, any };
    any = true;
    if (x.length > v) v = x.length;
  }
  return { v, ok: v <= 255, any };
}

/** The decimal exponent e (0..6) such that every value is fround(k / 10^e) exactly, with |k| < 2^31. */
function decimalExponent(values: readonly unknown[]): number | undefined {
  for (let e = 0; e <= 6; e++) {
    const m = 10 ** e;
    let ok = true;
    outer: for (const x of values) {
      if (!Array.isArray(x)) continue;
      for (const y of x as (number | null)[]) {
        if (y === null) continue;
        const k = Math.round(y * m);
        if (!Number.isFinite(y) || Object.is(y, -0) || Math.abs(k) >= 2147483640 || !Object.is(Math.fround(k / m), y)) { ok = false; break outer; }
      }
    }
    if (ok) return e;
  }
  return undefined;
}

export function encodeNumbers(values: readonly unknown[], float: boolean): Uint8Array | undefined {
  const { v, ok, any } = vectors(values);
  if (!ok) return undefined;
  if (!any) return new Uint8Array([0]);
  const n = values.length;
  const e = float ? decimalExponent(values) : 0;
  const raw = float && e === undefined;
  const scale = raw ? 1 : 10 ** e!;
  let lo = Infinity, hi = -Infinity;
  if (!raw) {
    for (const x of values) if (Array.isArray(x)) for (const y of x as (number | null)[]) if (y !== null) {
      const k = Math.round(y * scale);
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
  }
  const w: Width = raw ? 4 : lo >= MIN[1] + 2 && hi <= MAX[1] ? 1 : lo >= MIN[2] + 2 && hi <= MAX[2] ? 2 : 4;
  const words = new Int32Array(n * v);
  const missing = raw ? F_MISSING | 0 : MIN[w], end = raw ? F_END | 0 : MIN[w] + 1;
  for (let s = 0; s < n; s++) {
    const x = values[s] as (number | null)[] | null | undefined;
    for (let k = 0; k < v; k++) {
      let word: number;
      if (!x) word = k === 0 ? missing : end;
      else if (k >= x.length) word = end;
      else if (x[k] === null) word = missing;
      else if (raw) { f32[0] = x[k]!; word = u32[0]! | 0; }
      else word = Math.round(x[k]! * scale);
      words[s * v + k] = word;
    }
  }
  const out = new Uint8Array(2 + n * v * w);
  out[0] = raw ? RAW_FLOAT : w | (float ? (e! + 1) << 4 : 0);
  out[1] = v;
  const count = n * v;
  for (let b = 0; b < w; b++) {
    const plane = 2 + b * count, shift = 8 * b;
    for (let i = 0; i < count; i++) out[plane + i] = (words[i]! >>> shift) & 0xff;
  }
  return out;
}

/** Decoded row: the values of sample `s` as an array (null = missing element), or null for none. */
export class NumberRow {
  private readonly words: Int32Array;
  readonly v: number;
  private readonly raw: boolean;
  private readonly scale: number;
  private readonly missing: number;
  private readonly end: number;

  constructor(row: Uint8Array, n: number) {
    const code = row[0]!;
    this.v = code === 0 ? 1 : row[1]!;
    this.raw = code === RAW_FLOAT;
    const w = (this.raw ? 4 : code & 0x0f) as Width;
    const e = code >> 4;
    this.scale = !this.raw && e > 0 ? 10 ** (e - 1) : 1;
    const count = n * this.v;
    this.words = new Int32Array(count);
    this.missing = this.raw ? F_MISSING | 0 : MIN[w] ?? 0;
    this.end = this.raw ? F_END | 0 : (MIN[w] ?? 0) + 1;
    if (code === 0) { this.words.fill(this.missing); return; }
    if (w === 1) for (let i = 0; i < count; i++) this.words[i] = (row[2 + i]! << 24) >> 24;
    else if (w === 2) for (let i = 0; i < count; i++) this.words[i] = ((row[2 + i]! | (row[2 + count + i]! << 8)) << 16) >> 16;
    else for (let i = 0; i < count; i++) this.words[i] = row[2 + i]! | (row[2 + count + i]! << 8) | (row[2 + 2 * count + i]! << 16) | (row[2 + 3 * count + i]! << 24);
  }

  private value(word: number): number {
    if (this.raw) { u32[0] = word >>> 0; return f32[0]!; }
    return this.scale === 1 ? word : Math.fround(word / this.scale);
  }

  /** Sample `s`: null when it has no value, else its elements. */
  get(s: number): (number | null)[] | null {
    const at = s * this.v;
    if (this.words[at] === this.missing && (this.v === 1 || this.words[at + 1] === this.end)) return null;
    const out: (number | null)[] = [];
    for (let k = 0; k < this.v; k++) {
      const w = this.words[at + k]!;
      if (w === this.end) break;
      out.push(w === this.missing ? null : this.value(w));
    }
    return out;
  }

  /** Sample `s` as VCF text into `out`, as formatValue(get(s), float) prints it. */
  text(s: number, out: ByteOut, float: boolean): void {
    const words = this.words;
    if (this.v === 1) {
      // scalars (DP, GQ, DS): one word, no vector end
      const w = words[s]!;
      if (w === this.missing) out.byte(46);
      else if (w === this.end) return; // an empty vector prints as nothing, as get() gives []
      else if (!float) out.int(w);
      else out.text(formatFloat(this.value(w)));
      return;
    }
    const at = s * this.v;
    if (words[at] === this.missing && words[at + 1] === this.end) { out.byte(46); return; }
    for (let k = 0; k < this.v; k++) {
      const w = words[at + k]!;
      if (w === this.end) break;
      if (k) out.byte(44);
      if (w === this.missing) out.byte(46);
      else if (!float) out.int(this.value(w));
      else out.text(formatFloat(this.value(w)));
    }
  }

  /** The API value of word `w` (not a sentinel): its shortest float32 decimal, memoised per scale for two-byte words. */
  private plainWord(w: number): number {
    if (this.raw) { u32[0] = w >>> 0; return shortestFloat32(f32[0]!); }
    if (this.scale === 1) return w;
    if (w < -32768 || w > 32767) return shortestFloat32(Math.fround(w / this.scale));
    const table = plainTable(this.scale);
    let y = table[w + 32768]!;
    if (y !== y) table[w + 32768] = y = shortestFloat32(Math.fround(w / this.scale));
    return y;
  }

  /** Sample `s` for API callers: null when it has no value, a number for one element, else the elements (null = missing). */
  plain(s: number): number | (number | null)[] | null {
    const words = this.words, at = s * this.v;
    const w0 = words[at]!;
    if (this.v === 1) return w0 === this.missing ? null : w0 === this.end ? [] : this.plainWord(w0);
    if (w0 === this.missing && words[at + 1] === this.end) return null;
    const out: (number | null)[] = [];
    for (let k = 0; k < this.v; k++) {
      const w = words[at + k]!;
      if (w === this.end) break;
      out.push(w === this.missing ? null : this.plainWord(w));
    }
    return out.length === 1 ? out[0]! : out;
  }

  /** plain() of samples [from, from + count) into out[at…]; scalars of a decimal scale read the memo directly. */
  plainInto(out: unknown[], at: number, from: number, count: number): void {
    if (this.v !== 1 || this.raw || this.scale === 1) {
      for (let i = 0; i < count; i++) out[at + i] = this.plain(from + i);
      return;
    }
    const table = plainTable(this.scale);
    const words = this.words, missing = this.missing, end = this.end;
    for (let i = 0; i < count; i++) {
      const w = words[from + i]!;
      if (w === missing) out[at + i] = null;
      else if (w === end) out[at + i] = [];
      else if (w >= -32768 && w <= 32767) {
        const y = table[w + 32768]!;
        out[at + i] = y === y ? y : this.plainWord(w);
      } else out[at + i] = this.plainWord(w);
    }
  }

  /** rowRange of a row of one value per sample: the smallest and largest value (NaN skipped); null when none; undefined when only NaN. */
  range(): { min: number; max: number } | null | undefined {
    let lo = Infinity, hi = -Infinity, any = false;
    for (const w of this.words) {
      if (w === this.missing || w === this.end) continue;
      any = true;
      const x = this.value(w);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (!any) return null;
    return lo > hi ? undefined : { min: lo, max: hi };
  }

  /** Sample `s` as a scalar (Number=1 fields): the number, or null when missing. */
  scalar(s: number): number | null {
    const w = this.words[s * this.v]!;
    return w === this.missing || w === this.end ? null : this.value(w);
  }
}

/**
 * The smallest and largest value of a scalar row's samples (sentinels and NaN skipped), as
 * decode gives them: null when no sample has a value, undefined when the row is not a row of
 * one number per sample (text fallback, vectors) or holds only NaN. The statistics columns of
 * the sample-batch files (`_min:<KEY>`, `_max:<KEY>`) are built from these.
 */
export function rowRange(row: Uint8Array | null | undefined, n: number): { min: number; max: number } | null | undefined {
  if (!row || row.length === 0 || row[0] === 0) return null;
  const code = row[0]!;
  const raw = code === RAW_FLOAT;
  const w = raw ? 4 : code & 0x0f;
  if ((!raw && w !== 1 && w !== 2 && w !== 4) || (!raw && code >> 4 > 7) || row[1] !== 1 || row.length !== 2 + n * w) return undefined;
  return new NumberRow(row, n).range();
}

/**
 * encodeNumbers for scalar values `x[a, z)` (NaN: no value; no NaN value can be stored this way),
 * byte for byte: the fast path of direct.ts.
 */
export function encodeScalars(x: Float64Array, a: number, z: number, float: boolean): Uint8Array {
  const n = z - a;
  let any = false;
  for (let s = a; s < z; s++) if (!Number.isNaN(x[s]!)) { any = true; break; }
  if (!any) return new Uint8Array([0]);
  let e: number | undefined = 0;
  if (float) {
    e = undefined;
    for (let d = 0; d <= 6 && e === undefined; d++) {
      const m = 10 ** d;
      let ok = true;
      for (let s = a; s < z; s++) {
        const y = x[s]!;
        if (Number.isNaN(y)) continue;
        const k = Math.round(y * m);
        if (!Number.isFinite(y) || Object.is(y, -0) || Math.abs(k) >= 2147483640 || !Object.is(Math.fround(k / m), y)) { ok = false; break; }
      }
      if (ok) e = d;
    }
  }
  const raw = float && e === undefined;
  const scale = raw ? 1 : 10 ** e!;
  let lo = Infinity, hi = -Infinity;
  if (!raw) {
    for (let s = a; s < z; s++) {
      const y = x[s]!;
      if (Number.isNaN(y)) continue;
      const k = Math.round(y * scale);
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
  }
  const w: Width = raw ? 4 : lo >= MIN[1] + 2 && hi <= MAX[1] ? 1 : lo >= MIN[2] + 2 && hi <= MAX[2] ? 2 : 4;
  const missing = raw ? F_MISSING | 0 : MIN[w];
  const out = new Uint8Array(2 + n * w);
  out[0] = raw ? RAW_FLOAT : w | (float ? (e! + 1) << 4 : 0);
  out[1] = 1;
  for (let s = a; s < z; s++) {
    const y = x[s]!;
    let word: number;
    if (Number.isNaN(y)) word = missing;
    else if (raw) { f32[0] = y; word = u32[0]! | 0; }
    else word = Math.round(y * scale) | 0;
    for (let b = 0; b < w; b++) out[2 + b * n + (s - a)] = (word >>> (8 * b)) & 0xff;
  }
  return out;
}
