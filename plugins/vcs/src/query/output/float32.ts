/** The shortest decimal that reads back as the same float32: 0.2f prints as 0.2, not 0.20000000298023224. */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return x;
}
