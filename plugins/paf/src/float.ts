/** C's printf("%g") for doubles, which samtools uses for `f` aux values. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // Precision 6: the exponent after rounding to 6 significant digits decides the style.
  const e = x.toExponential(5);
  const exp = Number(e.slice(e.indexOf('e') + 1));
  if (exp >= -4 && exp < 6) return stripZeros(x.toFixed(5 - exp));
  const [mant, ex] = e.split('e') as [string, string];
  const sign = ex[0] === '-' ? '-' : '+';
  const digits = ex.replace(/^[-+]/, '');
  return `${stripZeros(mant)}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}
