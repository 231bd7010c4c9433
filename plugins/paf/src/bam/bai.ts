/**
 * The BAM index (SAMv1 §5.2), built while a coordinate-sorted BAM is written. Per reference:
 * bins (§5.3) holding chunks of virtual offsets, where consecutive records of one bin make one
 * chunk; a linear index giving, per 16 kbp window, the smallest offset of a placed record
 * overlapping it; and the pseudo-bin 37450 with the reference's first and last offsets and its
 * mapped and unmapped record counts. After the references, n_no_coor counts the unplaced reads.
 * Offsets are gathered as uncompressed offsets and turned into virtual offsets by a BlockMap at
 * the end. Bins are not folded into their parents (htslib does that to save seeks; queries
 * give the same records either way).
 */
import { InputError } from '@genolake/core';
import type { tabix } from '@genolake/bgzf-tabix';
import { reg2bin } from '../bin.js';
import { FLAG_UNMAPPED, type Record } from '../record.js';
import type { BlockMap } from './block-map.js';

/** The metadata pseudo-bin: one past the last real bin of the 6-level scheme. */
export const META_BIN = 37450;
/** Linear index window: 2^14 = 16 kbp. */
const WINDOW_SHIFT = 14;

interface RefIndex {
  bins: Map<number, tabix.Chunk[]>;
  /** Per window: uncompressed offset of the first record overlapping it, -1 = none. */
  linear: number[];
  begin: number;
  end: number;
  mapped: number;
  unmapped: number;
}

export class BaiBuilder {
  private readonly refs: (RefIndex | undefined)[];
  private lastRef = -2;
  private lastPos = -1;
  private lastBin = -1;
  private lastChunks: tabix.Chunk[] | undefined;
  private unplaced = 0;
  private count = 0;

  constructor(nRef: number, private readonly name = 'BAM') {
    this.refs = new Array<RefIndex | undefined>(nRef);
  }

  /** Adds the next record, which occupies uncompressed bytes [ubeg, uend) of the BAM. */
  add(rec: Record, ubeg: number, uend: number): void {
    this.count++;
    const refId = rec.refId, pos = rec.pos;
    if (refId !== this.lastRef) {
      if (this.lastRef === -1 || (refId >= 0 && refId < this.lastRef) || (refId >= 0 && this.refs[refId])) this.unsorted(`reference ${refId} after ${this.lastRef}`);
      this.lastRef = refId;
      this.lastBin = -1;
      this.lastPos = -1;
    } else if (refId >= 0 && pos < this.lastPos) this.unsorted(`position ${pos + 1} after ${this.lastPos + 1}`);
    this.lastPos = pos;
    if (refId < 0) {
      this.unplaced++;
      return;
    }
    const ref: RefIndex = (this.refs[refId] ??= { bins: new Map(), linear: [], begin: ubeg, end: uend, mapped: 0, unmapped: 0 });
    ref.end = uend;
    const end = rec.end;
    const bin = reg2bin(pos, end);
    let chunks = bin === this.lastBin ? this.lastChunks! : ref.bins.get(bin);
    if (!chunks) ref.bins.set(bin, (chunks = []));
    this.lastBin = bin;
    this.lastChunks = chunks;
    const last = chunks[chunks.length - 1];
    if (last && last.end === ubeg) last.end = uend;
    else chunks.push({ beg: ubeg, end: uend });
    if (rec.flag & FLAG_UNMAPPED) ref.unmapped++;
    else ref.mapped++;
    // Every placed record, mapped or not, enters the linear index (as samtools index does), a
    // position before the reference start counting as its first base.
    const lin = ref.linear;
    const w0 = Math.max(0, pos) >> WINDOW_SHIFT, w1 = (Math.max(1, end) - 1) >> WINDOW_SHIFT;
    while (lin.length <= w1) lin.push(-1);
    for (let w = w0; w <= w1; w++) if (lin[w] === -1) lin[w] = ubeg;
  }

  private unsorted(what: string): never {
    throw new InputError(`${this.name}: record ${this.count} is not in coordinate order (${what}); a .bai needs coordinate-sorted output`);
  }

  /** The .bai bytes, with offsets resolved through the blocks the BAM was written in. */
  finish(blocks: BlockMap): Uint8Array {
    const v = (u: number): number => blocks.virtual(u);
    let size = 8 + 8;
    for (const r of this.refs) size += 8 + (r ? (r.bins.size + 1) * 8 + 32 + [...r.bins.values()].reduce((n, c) => n + 16 * c.length, 0) + 8 * r.linear.length : 0);
    const out = new Uint8Array(size);
    const dv = new DataView(out.buffer);
    let p = 0;
    const i32 = (x: number) => (dv.setInt32(p, x, true), (p += 4));
    const u64 = (x: number) => (dv.setUint32(p, x % 2 ** 32, true), dv.setUint32(p + 4, Math.floor(x / 2 ** 32), true), (p += 8));
    out.set([0x42, 0x41, 0x49, 0x01]); // "BAI\1"
    p = 4;
    i32(this.refs.length);
    for (let id = 0; id < this.refs.length; id++) {
      const r = this.refs[id];
      if (!r) {
        i32(0);
        i32(0);
        continue;
      }
      i32(r.bins.size + 1);
      for (const [bin, chunks] of [...r.bins].sort((a, b) => a[0] - b[0])) {
        i32(bin);
        i32(chunks.length);
        for (const c of chunks) (u64(v(c.beg)), u64(v(c.end)));
      }
      i32(META_BIN);
      i32(2);
      u64(v(r.begin));
      u64(v(r.end));
      u64(r.mapped);
      u64(r.unmapped);
      // An empty window takes the next non-empty window's offset: no record overlaps it, so a
      // record overlapping it or anything after starts no earlier (htslib fills them the same way).
      const lin = r.linear.map((u) => (u < 0 ? -1 : v(u)));
      for (let w = lin.length - 2; w >= 0; w--) if (lin[w] === -1) lin[w] = lin[w + 1]!;
      i32(lin.length);
      for (const x of lin) u64(x);
    }
    u64(this.unplaced);
    return out.subarray(0, p);
  }
}
