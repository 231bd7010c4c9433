import { describe, expect, it } from 'vitest';
import * as vo from '../bgzf/virtual-offset.js';
import { planBatch } from './batch.js';
import type { Span } from './query.js';

const span = (offset: number, length: number): Span => ({ offset, length, vbeg: vo.make(offset, 0), vend: vo.make(offset + length, 0) });
const region = (n: number) => ({ contig: `r${n}`, start: 0, end: 1 });
const batch = (spans: Span[][]) => spans.map((s, i) => ({ region: region(i), spans: s }));

describe('batch read schedule', () => {
  it('fetches a range shared by two regions once and keeps it between them', () => {
    // r0 and r2 need the same bytes; r1 is elsewhere.
    const p = planBatch(batch([[span(0, 100)], [span(500, 50)], [span(0, 100)]]));
    expect(p.units).toEqual([{ offset: 0, length: 100 }, { offset: 500, length: 50 }]);
    expect(p.fetches.map((f) => [f.offset, f.length, f.regions])).toEqual([[0, 100, [0, 2]], [500, 50, [1]]]);
    expect(p.keepAfter.map((k) => [...k])).toEqual([[0], [0], []]);
  });

  it('coalesces overlapping and touching spans of different regions into one request', () => {
    const p = planBatch(batch([[span(100, 100)], [span(0, 150)], [span(200, 50)]]));
    expect(p.units).toEqual([{ offset: 0, length: 250 }]);
    expect(p.fetches).toHaveLength(1);
    expect(p.regions.map((r) => r.spans.map((s) => s.unit))).toEqual([[0], [0], [0]]);
  });

  it('keeps no more than the hold limit: the unit needed later than others is fetched again', () => {
    const p = planBatch(batch([[span(0, 100), span(1000, 100)], [span(0, 100)], [span(1000, 100)]]), { merge: 1 << 20, hold: 150 });
    // After r0 both units are wanted later; only the one needed soonest (by r1) fits.
    expect(p.keepAfter[0]).toEqual(new Set([0]));
    expect(p.fetches.map((f) => [f.offset, f.regions])).toEqual([[0, [0, 1]], [1000, [0]], [1000, [2]]]);
  });

  it('does not grow a unit past the merge limit, nor put a small span inside a big unit', () => {
    const p = planBatch(batch([[span(0, 1000)], [span(900, 300)], [span(100, 10)]]), { merge: 999, hold: 1 << 20 });
    expect(p.units).toEqual([{ offset: 0, length: 1000 }, { offset: 100, length: 10 }, { offset: 900, length: 300 }]);
    expect(p.regions.map((r) => r.spans.map((s) => s.unit))).toEqual([[0], [2], [1]]);
    // Each span lies inside its unit.
    for (const r of p.regions) for (const { span: s, unit } of r.spans) {
      const u = p.units[unit]!;
      expect(s.offset >= u.offset && s.offset + s.length <= u.offset + u.length).toBe(true);
    }
  });

  it('plans nothing for regions without spans', () => {
    const p = planBatch(batch([[], []]));
    expect(p.fetches).toEqual([]);
    expect(p.keepAfter).toEqual([new Set(), new Set()]);
  });
});
