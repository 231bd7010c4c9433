import { describe, expect, it } from 'vitest';
import * as vo from '../bgzf/virtual-offset.js';
import { PRESETS } from '../tabix/config.js';
import { BinningIndex } from './index.js';

describe('known block starts', () => {
  const chunk = (b: number, e: number) => ({ beg: vo.make(b, 10), end: vo.make(e, 20) });
  const index = new BinningIndex('tbi', 14, 5, PRESETS.vcf!, ['a', 'b'], [
    { bins: new Map([[4681, [chunk(0, 300)]], [0, [chunk(900, 1200)]]]), loffsets: new Map(), linear: [vo.make(0, 10), vo.make(600, 0)] },
    { bins: new Map([[4681, [chunk(1500, 1800)]]]), loffsets: new Map([[0, vo.make(2100, 5)]]), linear: [], meta: { begin: vo.make(1500, 0), end: vo.make(2400, 0), mapped: 1, unmapped: 0 } },
  ]);

  it('collects chunk bounds, linear entries, loffsets and the meta bin of every reference, sorted once', () => {
    expect(index.blockStarts()).toEqual([0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400]);
    expect(index.blockStarts()).toBe(index.blockStarts());
  });

  it('finds the next start strictly after an offset', () => {
    expect(index.nextBlockStart(0)).toBe(300);
    expect(index.nextBlockStart(299)).toBe(300);
    expect(index.nextBlockStart(300)).toBe(600);
    expect(index.nextBlockStart(2399)).toBe(2400);
    expect(index.nextBlockStart(2400)).toBeUndefined();
  });
});
