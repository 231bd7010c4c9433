/**
 * One binning-index model for tabix (.tbi) and CSI (.csi) (style rule 2): per reference, bins
 * holding chunks of virtual offsets, plus a linear index (tbi) or per-bin loffsets (csi) that
 * give a lower bound on where records overlapping a position can start.
 */
import { type VirtualOffset, coffset } from '../bgzf/virtual-offset.js';
import type { TabixConfig } from '../tabix/config.js';
import { binStart, metaBin, parentBin, reg2bin, reg2bins } from './bins.js';

/** `[beg, end)` in virtual offsets. */
export interface Chunk {
  beg: VirtualOffset;
  end: VirtualOffset;
}

export interface ReferenceIndex {
  /** Bin number -> chunks (sorted by beg). The metadata pseudo-bin is kept apart. */
  bins: Map<number, Chunk[]>;
  /** CSI: smallest virtual offset of records overlapping each bin's range. */
  loffsets: Map<number, VirtualOffset>;
  /** Tabix: smallest virtual offset of records overlapping each 2^minShift window. */
  linear: VirtualOffset[];
  /** From the metadata pseudo-bin, when present. */
  meta?: { begin: VirtualOffset; end: VirtualOffset; mapped: number; unmapped: number };
}

export type IndexFormat = 'tbi' | 'csi';

export class BinningIndex {
  private readonly ids: Map<string, number>;

  constructor(
    readonly format: IndexFormat,
    readonly minShift: number,
    readonly depth: number,
    readonly config: TabixConfig,
    readonly names: string[],
    readonly refs: ReferenceIndex[],
    /** Records without coordinates (tabix: always 0 or absent). */
    readonly unplaced?: number,
  ) {
    this.ids = new Map(names.map((n, i) => [n, i]));
  }

  /** Reference id of a sequence name, or undefined when the index does not know it. */
  refId(name: string): number | undefined {
    return this.ids.get(name);
  }

  /** Bin a record `[beg, end)` belongs to. */
  bin(beg: number, end: number): number {
    return reg2bin(beg, end, this.minShift, this.depth);
  }

  /** Lower bound on the offset of records overlapping position `beg`. */
  minOffset(ref: ReferenceIndex, beg: number): VirtualOffset {
    if (this.format === 'tbi') {
      if (ref.linear.length === 0) return 0;
      return ref.linear[Math.min(Math.floor(beg / 2 ** this.minShift), ref.linear.length - 1)]!;
    }
    // CSI: the deepest existing bin containing `beg` (its loffset bounds every record over it).
    for (let b = reg2bin(beg, beg + 1, this.minShift, this.depth); b >= 0; b = parentBin(b)) {
      const off = ref.loffsets.get(b);
      if (off !== undefined && binStart(b, this.minShift, this.depth) <= beg) return off;
    }
    return 0;
  }

  /**
   * Chunks that may hold records overlapping `[beg, end)` on reference `refId`: candidate bins'
   * chunks, minus those ending before the lower bound, sorted and with overlapping or adjacent
   * chunks merged.
   */
  chunks(refId: number, beg: number, end: number): Chunk[] {
    const ref = this.refs[refId];
    if (!ref) return [];
    const min = this.minOffset(ref, beg);
    const found: Chunk[] = [];
    for (const b of reg2bins(beg, end, this.minShift, this.depth)) {
      for (const c of ref.bins.get(b) ?? []) if (c.end > min) found.push({ beg: Math.max(c.beg, min), end: c.end });
    }
    return mergeChunks(found);
  }

  private starts: number[] | undefined;

  /**
   * Every compressed block offset the index knows, sorted and unique: the blocks of chunk
   * begins and ends, linear-index entries (tbi), bin loffsets (csi) and the metadata
   * pseudo-bin, over all references. Each is the start of a BGZF block (a virtual offset's
   * coffset always is), so a query may end a read at the next one. Built once, on first use.
   */
  blockStarts(): readonly number[] {
    if (this.starts) return this.starts;
    const all = new Set<number>();
    for (const ref of this.refs) {
      for (const chunks of ref.bins.values()) for (const c of chunks) all.add(coffset(c.beg)).add(coffset(c.end));
      for (const v of ref.linear) all.add(coffset(v));
      for (const v of ref.loffsets.values()) all.add(coffset(v));
      if (ref.meta) all.add(coffset(ref.meta.begin)).add(coffset(ref.meta.end));
    }
    return (this.starts = [...all].sort((a, b) => a - b));
  }

  /** The smallest known block start after compressed offset `offset`, or undefined past the last. */
  nextBlockStart(offset: number): number | undefined {
    const s = this.blockStarts();
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return s[lo];
  }

  /** The metadata pseudo-bin number for this scheme. */
  get metaBin(): number {
    return metaBin(this.depth);
  }
}

/** Sorts chunks and merges those that overlap or touch. */
export function mergeChunks(chunks: Chunk[]): Chunk[] {
  chunks.sort((a, b) => a.beg - b.beg);
  const out: Chunk[] = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && c.beg <= last.end) last.end = Math.max(last.end, c.end);
    else out.push({ ...c });
  }
  return out;
}
