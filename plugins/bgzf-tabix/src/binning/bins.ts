/**
 * The hierarchical binning scheme shared by BAI, tabix and CSI (SAMv1 §5.3, CSIv1): level l
 * (0 = whole range) has 8^l bins of 2^(minShift + 3*(depth - l)) positions; bin numbers count
 * level by level. Tabix is the case minShift = 14, depth = 5. Positions are 0-based, half-open.
 * Division instead of `>>` keeps CSI positions beyond 2^31 exact.
 */

/** First bin number of level `l`: (8^l - 1) / 7. */
export function levelStart(l: number): number {
  return (8 ** l - 1) / 7;
}

/** Number of real bins for a depth (numbered 0 .. count-1). */
export function binCount(depth: number): number {
  return levelStart(depth + 1);
}

/** The pseudo-bin holding per-reference counts: one past the first unused number (37450 for tabix). */
export function metaBin(depth: number): number {
  return binCount(depth) + 1;
}

/** Smallest bin containing `[beg, end)`. */
export function reg2bin(beg: number, end: number, minShift: number, depth: number): number {
  const last = Math.max(beg, end - 1);
  if (last < 2 ** 31 && depth <= 9) {
    // Shifts while positions fit an int32 (always for tabix): ~10x faster than the division
    // loop below, which index builds pay on every line.
    let shift = minShift;
    let start = ((1 << (3 * depth)) - 1) / 7;
    for (let l = depth; l > 0; l--) {
      if (beg >> shift === last >> shift) return start + (beg >> shift);
      shift += 3;
      start -= 1 << (3 * (l - 1));
    }
    return 0;
  }
  for (let l = depth; l > 0; l--) {
    const size = 2 ** (minShift + 3 * (depth - l));
    const b = Math.floor(beg / size);
    if (b === Math.floor(last / size)) return levelStart(l) + b;
  }
  return 0;
}

/** Every bin that may hold records overlapping `[beg, end)`, level by level. */
export function reg2bins(beg: number, end: number, minShift: number, depth: number): number[] {
  const out: number[] = [];
  const last = Math.max(beg, end - 1);
  for (let l = 0; l <= depth; l++) {
    const size = 2 ** (minShift + 3 * (depth - l));
    const first = levelStart(l) + Math.floor(beg / size);
    const stop = levelStart(l) + Math.min(Math.floor(last / size), 8 ** l - 1);
    for (let b = first; b <= stop; b++) out.push(b);
  }
  return out;
}

/** Level of a bin number. */
export function binLevel(bin: number): number {
  let l = 0;
  while (bin >= levelStart(l + 1)) l++;
  return l;
}

/** First position covered by a bin. */
export function binStart(bin: number, minShift: number, depth: number): number {
  const l = binLevel(bin);
  return (bin - levelStart(l)) * 2 ** (minShift + 3 * (depth - l));
}

/** Parent bin (0 has none). */
export function parentBin(bin: number): number {
  return bin === 0 ? -1 : Math.floor((bin - 1) / 8);
}

/** Largest position (exclusive) the scheme can hold: 2^(minShift + 3*depth). */
export function maxPosition(minShift: number, depth: number): number {
  return 2 ** (minShift + 3 * depth);
}
