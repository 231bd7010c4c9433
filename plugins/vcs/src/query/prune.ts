/**
 * Pruning by statistics: can an expression be true for some row of a partition, row group or
 * page, judging from per-column min/max and null counts alone? Three-valued (NEVER, MAYBE,
 * ALWAYS) so `!` stays sound: `!x` is NEVER only where `x` is ALWAYS. Only columns holding one
 * comparable element per row (the typed INT32/INT64/FLOAT/BOOLEAN columns, and CHROM of a
 * partition) carry statistics; anything else is MAYBE. The exact evaluation runs afterwards.
 */
import type { Expr } from './ast.js';
import { valueTest } from './predicate.js';
import type { ColumnStats, StatsSource } from './source.js';

export const NEVER = 0, MAYBE = 1, ALWAYS = 2;
export type Tri = 0 | 1 | 2;

type Leaf = Extract<Expr, { kind: 'compare' | 'missing' | 'present' | 'flag' }>;

function leafTri(e: Leaf, s: ColumnStats | 'absent'): Tri {
  if (s === 'absent' || s.nulls === s.rows || (e.field.index !== undefined && e.field.index > 0 && s.min !== undefined)) {
    return valueTest(e)(null) ? ALWAYS : NEVER;
  }
  if (s.union) {
    // many samples per row: only comparisons are judged, and NEVER only when a missing sample
    // cannot satisfy the test either (`!=` is true for a missing value)
    if (e.kind !== 'compare') return MAYBE;
    const t = leafTri(e, { ...s, union: false });
    return t === NEVER && valueTest(e)(null) ? MAYBE : t;
  }
  if (e.kind === 'missing') return s.nulls === 0 ? NEVER : MAYBE;
  if (e.kind === 'present') return s.nulls === 0 ? ALWAYS : MAYBE;
  if (e.kind === 'flag') return s.nulls === 0 ? ALWAYS : MAYBE;
  const { min, max } = s;
  if (min === undefined || max === undefined || e.field.type === 'filter' || e.value.kind === 'missing') return MAYBE;
  const raw = e.value.value;
  const v = typeof raw === 'number' && e.field.type === 'float' ? Math.fround(raw) : raw;
  if (typeof v !== typeof min) return MAYBE;
  const full = s.nulls === 0;
  switch (e.op) {
    case '==': return v < min || v > max ? NEVER : full && min === v && max === v ? ALWAYS : MAYBE;
    case '!=': return v < min || v > max ? ALWAYS : full && min === v && max === v ? NEVER : MAYBE;
    case '<': return min < v ? (full && max < v ? ALWAYS : MAYBE) : NEVER;
    case '<=': return min <= v ? (full && max <= v ? ALWAYS : MAYBE) : NEVER;
    case '>': return max > v ? (full && min > v ? ALWAYS : MAYBE) : NEVER;
    case '>=': return max >= v ? (full && min >= v ? ALWAYS : MAYBE) : NEVER;
    default: return MAYBE;
  }
}

export function tri(e: Expr, stats: StatsSource): Tri {
  switch (e.kind) {
    case 'and': { const a = tri(e.left, stats); return a === NEVER ? NEVER : (Math.min(a, tri(e.right, stats)) as Tri); }
    case 'or': { const a = tri(e.left, stats); return a === ALWAYS ? ALWAYS : (Math.max(a, tri(e.right, stats)) as Tri); }
    case 'not': return (2 - tri(e.arg, stats)) as Tri;
    default: {
      if (e.field.scope === 'site') {
        const s = stats.site(e.field.column);
        return s === undefined ? MAYBE : leafTri(e, s);
      }
      const per = stats.format(e.field.column);
      if (per === undefined) return MAYBE;
      // any sample: ALWAYS if one sample is ALWAYS, NEVER if every sample is NEVER
      let best: Tri = NEVER;
      for (const s of per) {
        const t = leafTri(e, s);
        if (t > best) best = t;
        if (best === ALWAYS) break;
      }
      return best;
    }
  }
}
