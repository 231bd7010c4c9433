/**
 * Convert's fast path: one VCF line's sample columns straight into matrix cells (matrix.ts), with
 * no per-sample strings or arrays. It takes only the common case (GT with alleles up to 125 and
 * ploidy up to 8, scalar Integer/Float values in plain decimal) and gives the exact bytes
 * encodeRow gives for the parsed values; on anything else (String keys, vectors, exponents,
 * out-of-range or malformed values, duplicate keys) it returns undefined and the line is parsed
 * the general way, which also reports errors.
 */
import type { FieldDef } from '../../header/header.js';
import { END, MAX_PLOIDY } from './gt.js';
import { codingOf, type Coding } from './matrix.js';
import { encodeScalars } from './numbers.js';

const COLON = 58, DOT = 46, MINUS = 45, SLASH = 47, PIPE = 124;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Reused buffers of one parser (grown as needed). */
export class DirectEncoder {
  private nums: Float64Array[] = [];
  private gtCodes = new Uint8Array(0);
  private gtPloidy: Uint8Array[] = [];

  /**
   * `wholeKeys` (the marker-major copy's keys): each of these keys' cell list gets one more
   * entry after the groups' cells, the row over all samples (the markers block's row).
   */
  constructor(private readonly groups: readonly (readonly [number, number, number, number])[], private readonly wholeKeys: readonly string[] = []) {}

  /** Sample s of the line is `b[t[9 + s] + 1, t[10 + s])`; `ns` samples. */
  encode(keys: readonly string[], defs: readonly FieldDef[], b: Uint8Array, t: Int32Array, ns: number): Map<string, Uint8Array[]> | undefined {
    const nk = keys.length;
    if (nk > 16 || new Set(keys).size !== nk) return undefined;
    const codings: Coding[] = keys.map((k, i) => codingOf(k, defs[i]!));
    if (codings.includes('text')) return undefined;
    let gtKey = -1;
    for (let k = 0; k < nk; k++) {
      if (codings[k] === 'gt') gtKey = k;
      else if (!this.nums[k] || this.nums[k]!.length < ns) this.nums[k] = new Float64Array(ns);
    }
    if (gtKey >= 0) {
      if (this.gtCodes.length < ns * MAX_PLOIDY) this.gtCodes = new Uint8Array(ns * MAX_PLOIDY);
      if (!this.gtPloidy[0] || this.gtPloidy[0].length < ns) this.gtPloidy[0] = new Uint8Array(ns);
    }
    const codes = this.gtCodes, ploidy = this.gtPloidy[0]!;
    for (let s = 0; s < ns; s++) {
      const end = t[10 + s]!;
      let i = t[9 + s]! + 1;
      let k = 0;
      for (;; k++) {
        if (k >= nk) return undefined;  // more values than keys: the general parser reports it
        let j = i;
        while (j < end && b[j] !== COLON) j++;
        if (k === gtKey) {
          if (!this.gt(b, i, j, s, codes, ploidy)) return undefined;
        } else {
          const x = this.number(b, i, j, codings[k] === 'float');
          if (x === undefined) return undefined;
          this.nums[k]![s] = x;
        }
        if (j >= end) break;
        i = j + 1;
      }
      for (k++; k < nk; k++) {
        if (k === gtKey) ploidy[s] = 0;
        else this.nums[k]![s] = NaN;
      }
    }
    const cells = new Map<string, Uint8Array[]>();
    for (let k = 0; k < nk; k++) {
      const row = (a: number, z: number): Uint8Array => (k === gtKey ? gtRow(codes, ploidy, a, z) : encodeScalars(this.nums[k]!, a, z, codings[k] === 'float'));
      const list = this.groups.map(([, , a, z]) => row(a, z));
      if (this.wholeKeys.includes(keys[k]!)) list.push(row(0, ns));
      cells.set(keys[k]!, list);
    }
    return cells;
  }

  /** GT text b[i, j) into codes (gt.ts); false when it does not fit or is not a GT. */
  private gt(b: Uint8Array, i: number, j: number, s: number, codes: Uint8Array, ploidy: Uint8Array): boolean {
    if (i >= j) return false;
    let n = 0, phased = 0;
    const at = s * MAX_PLOIDY;
    for (;;) {
      let a = -1;
      if (b[i] === DOT) i++;
      else {
        let d = 0;
        a = 0;
        while (i < j && b[i]! >= 48 && b[i]! <= 57) { a = a * 10 + b[i]! - 48; i++; d++; }
        if (d === 0 || d > 3 || a > 125) return false;
      }
      if (n >= MAX_PLOIDY) return false;
      codes[at + n++] = ((a + 1) << 1) | phased;
      if (i === j) break;
      const sep = b[i];
      if (sep !== SLASH && sep !== PIPE) return false;
      phased = sep === PIPE ? 1 : 0;
      i++;
      if (i === j) return false;
    }
    ploidy[s] = n;
    return true;
  }

  /** A plain decimal b[i, j) (NaN: missing), or undefined when it needs the general parser. */
  private number(b: Uint8Array, i: number, j: number, float: boolean): number | undefined {
    if (i === j || (j === i + 1 && b[i] === DOT)) return NaN;
    const neg = b[i] === MINUS;
    if (neg) i++;
    let m = 0, digits = 0, frac = -1;
    for (; i < j; i++) {
      const c = b[i]!;
      if (c >= 48 && c <= 57) {
        m = m * 10 + c - 48;
        digits++;
        if (frac >= 0) frac++;
      } else if (c === DOT && float && frac < 0) frac = 0;
      else return undefined;
    }
    if (digits === 0 || digits > 15) return undefined;
    if (!float) {
      if (neg ? m > 2147483640 : m > 2147483647) return undefined;
      return neg ? -m : m;
    }
    // m and 10^frac are exact doubles, so the quotient is the correctly rounded value, as Number()
    const v = frac > 0 ? m / POW10[frac]! : m;
    return Math.fround(neg ? -v : v);
  }
}

function gtRow(codes: Uint8Array, ploidy: Uint8Array, a: number, z: number): Uint8Array {
  let p = 1;
  for (let s = a; s < z; s++) if (ploidy[s]! > p) p = ploidy[s]!;
  const out = new Uint8Array(1 + (z - a) * p).fill(END);
  out[0] = p;
  for (let s = a; s < z; s++) {
    const at = s * MAX_PLOIDY, o = 1 + (s - a) * p;
    for (let k = 0; k < ploidy[s]!; k++) out[o + k] = codes[at + k]!;
  }
  return out;
}
