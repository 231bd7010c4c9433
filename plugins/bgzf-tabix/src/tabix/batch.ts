/**
 * The read schedule of a batch of regions. Regions are answered one after another (htslib's
 * order, so overlapping regions repeat lines), but their spans are planned together: spans of
 * any regions that overlap or touch become one unit, fetched once with one bounded request and
 * kept (compressed) until the last region that needs it has been answered. Two limits bound the
 * memory: a unit grows across regions only while it stays within MERGE_LIMIT, and units kept
 * for later regions total at most HOLD_LIMIT (the ones needed soonest are kept; one that does
 * not fit is fetched again when its next region comes). Decompressed data is never kept.
 */
import type { Region } from '@genolake/core';
import type { Span } from './query.js';

/**
 * Largest unit grown by merging spans of different regions (4 MiB compressed, ~64 blocks). A
 * single region's own span may be larger (a whole contig); it is then a unit of its own.
 */
export const MERGE_LIMIT = 4 << 20;
/** Compressed bytes kept between regions for later ones (8 MiB, about 32 MiB once inflated). */
export const HOLD_LIMIT = 8 << 20;

/** One bounded request: the bytes `[offset, offset + length)` of the data file. */
export interface Unit {
  offset: number;
  length: number;
}

/** A planned request, in the order a complete read makes it, with the regions that use its bytes. */
export interface PlannedFetch extends Unit {
  unit: number;
  regions: number[];
}

export interface BatchPlan {
  /** Per region, in order: its spans, each with the unit holding its bytes. */
  regions: { region: Region; spans: { span: Span; unit: number }[] }[];
  units: Unit[];
  /** Every request a complete read makes (an upper bound: a region stops at its first record past the end). */
  fetches: PlannedFetch[];
  /** Units to keep after answering region `r` (every other resident unit is released). */
  keepAfter: Set<number>[];
}

/** Builds the schedule from each region's spans (as `IndexedFile.plan` returns them). */
export function planBatch(perRegion: { region: Region; spans: Span[] }[], limits = { merge: MERGE_LIMIT, hold: HOLD_LIMIT }): BatchPlan {
  const all = perRegion.flatMap((p, r) => p.spans.map((span, i) => ({ r, i, span })));
  all.sort((a, b) => a.span.offset - b.span.offset || b.span.length - a.span.length);
  const units: Unit[] = [];
  const unitOf = perRegion.map((p) => new Array<number>(p.spans.length));
  for (const { r, i, span } of all) {
    const cur = units[units.length - 1];
    const end = span.offset + span.length;
    if (cur && span.offset <= cur.offset + cur.length && Math.max(end, cur.offset + cur.length) - cur.offset <= limits.merge) {
      cur.length = Math.max(end, cur.offset + cur.length) - cur.offset;
    } else {
      // Also when inside a unit past the limit (another region's whole contig): that unit is
      // not kept between regions, so sharing it would refetch all of it for this small span.
      units.push({ offset: span.offset, length: span.length });
    }
    unitOf[r]![i] = units.length - 1;
  }
  // Which regions use each unit, in order (a region's own spans may share one unit).
  const uses = units.map(() => [] as number[]);
  perRegion.forEach((_, r) => {
    for (const u of unitOf[r]!) if (uses[u]!.at(-1) !== r) uses[u]!.push(r);
  });
  const nextUse = (u: number, r: number): number => uses[u]!.find((x) => x > r) ?? Infinity;

  // Simulate a complete read: fetch a unit when a region needs it and it is not resident; after
  // each region keep the units later regions need, soonest first, within the hold limit.
  const fetches: PlannedFetch[] = [];
  const keepAfter: Set<number>[] = [];
  let resident = new Map<number, PlannedFetch>();
  perRegion.forEach((_, r) => {
    for (const u of unitOf[r]!) {
      let f = resident.get(u);
      if (!f) {
        f = { unit: u, offset: units[u]!.offset, length: units[u]!.length, regions: [] };
        fetches.push(f);
        resident.set(u, f);
      }
      if (f.regions.at(-1) !== r) f.regions.push(r);
    }
    const later = [...resident.keys()].filter((u) => nextUse(u, r) < Infinity).sort((a, b) => nextUse(a, r) - nextUse(b, r));
    const keep = new Set<number>();
    let held = 0;
    for (const u of later) {
      if (held + units[u]!.length > limits.hold) continue;
      keep.add(u);
      held += units[u]!.length;
    }
    keepAfter.push(keep);
    resident = new Map([...resident].filter(([u]) => keep.has(u)));
  });
  return { regions: perRegion.map((p, r) => ({ region: p.region, spans: p.spans.map((span, i) => ({ span, unit: unitOf[r]![i]! })) })), units, fetches, keepAfter };
}
