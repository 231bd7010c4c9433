/**
 * Floats as htslib prints them (kputd): VCF floats are float32; zero is "0" or "-0"; magnitudes in
 * [1e-4, 999999] get six significant digits in fixed notation, rounded half up, trailing zeros
 * dropped; others go through C's "%g" (six significant digits, exponent of at least two digits,
 * rounded half to even on the exact binary value).
 */

/** Rounds like parsing into a C float. */
export const toF32 = Math.fround;

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** True when |x| (an integer) sits exactly halfway at the seventh significant digit. */
function exactTie(x: number): boolean {
  if (!Number.isInteger(x) || x > Number.MAX_SAFE_INTEGER) return false;
  const d = BigInt(x).toString();
  return d.length > 6 && d[6] === '5' && /^0*$/.test(d.slice(7));
}

/** Texts of the values formatted lately: a column repeats few distinct floats (dosages, QUAL). */
const TEXT = new Map<number, string>();

export function formatFloat(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
  let t = TEXT.get(v);
  if (t === undefined) {
    if (TEXT.size >= 1 << 16) TEXT.clear();
    TEXT.set(v, (t = formatFinite(v)));
  }
  return t;
}

function formatFinite(v: number): string {
  const neg = v < 0;
  const x = neg ? -v : v;
  let body: string;
  if (x >= 0.0001 && x <= 999999) {
    const exp = Math.floor(Math.log10(x));
    let s = x.toFixed(Math.max(0, 5 - exp));
    // log10 can be one off near powers of ten; re-cut when rounding added a digit
    const digits = s.replace('.', '').replace(/^0+/, '').length;
    if (digits > 6 && s.includes('.')) s = x.toFixed(Math.max(0, 5 - exp - (digits - 6)));
    body = trimZeros(s);
  } else {
    let s = x.toExponential(5);
    if (exactTie(x)) {
      // toExponential rounds ties up; %g rounds them to even
      const m = /^(\d)\.(\d{5})\de([+-]\d+)$/.exec(x.toExponential(6))!;
      if (Number(m[2]![4]) % 2 === 0) s = `${m[1]}.${m[2]}e${m[3]}`;
    }
    const [mant, e] = s.split('e') as [string, string];
    const en = Number(e);
    // %g picks fixed notation by the exponent after rounding (9.9999997e-05 prints as 0.0001)
    body = en >= -4 && en < 6 ? trimZeros(x.toFixed(5 - en)) : `${trimZeros(mant)}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return neg ? `-${body}` : body;
}
