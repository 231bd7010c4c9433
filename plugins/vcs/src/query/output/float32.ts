/** The shortest decimal that reads back as the same float32: 0.2f prints as 0.2, not 0.20000000298023224. */
const SHORTEST = new Map<number, number>();

export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  let y = SHORTEST.get(x);
  if (y === undefined) {
    y = x;
    for (let p = 1; p <= 9; p++) {
      const d = Number(x.toPrecision(p));
      if (Math.fround(d) === x) { y = d; break; }
    }
    // a column repeats few distinct values; the map is bounded
    if (SHORTEST.size >= 1 << 16) SHORTEST.clear();
    SHORTEST.set(x, y);
  }
  return y;
}
