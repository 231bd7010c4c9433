/**
 * Builds a BinningIndex from records given in file order: each record's reference, interval
 * (0-based half-open) and the virtual offsets where its line starts and ends. Checks the
 * sort order tabix requires and reports the offending line.
 */
import { InputError } from '@genolake/core';
import type { TabixConfig } from '../tabix/config.js';
import type { VirtualOffset } from '../bgzf/virtual-offset.js';
import { binStart, maxPosition, reg2bin } from './bins.js';
import { compressBins } from './compress.js';
import { BinningIndex, type Chunk, type IndexFormat, type ReferenceIndex } from './index.js';

interface Current {
  id: number;
  bins: Map<number, Chunk[]>;
  /** Per 2^minShift window: first record start overlapping it (-1 = none yet). */
  linear: number[];
  lastBeg: number;
  begin: VirtualOffset;
  end: VirtualOffset;
  count: number;
}

export class IndexBuilder {
  private readonly names: string[] = [];
  private readonly refs: ReferenceIndex[] = [];
  private readonly seen = new Set<string>();
  private cur: Current | undefined;
  private readonly window: number;
  private readonly limit: number;
  private lastBin = -1;
  private lastChunks: Chunk[] | undefined;

  constructor(
    readonly format: IndexFormat,
    readonly minShift: number,
    readonly depth: number,
    readonly config: TabixConfig,
    /** File name for messages. */
    readonly file: string,
  ) {
    this.window = 2 ** minShift;
    this.limit = maxPosition(minShift, depth);
  }

  add(name: string, beg: number, end: number, vbeg: VirtualOffset, vend: VirtualOffset, line: number): void {
    if (!this.cur || this.names[this.cur.id] !== name) this.startReference(name, line);
    const cur = this.cur!;
    if (beg < cur.lastBeg) {
      throw new InputError(`${this.file}: line ${line}: unsorted positions on sequence "${name}": ${beg + 1} after ${cur.lastBeg + 1} (sort the input first)`);
    }
    if (end > this.limit) {
      throw new InputError(
        `${this.file}: line ${line}: position ${end} is beyond the ${this.format} limit of ${this.limit}` +
          (this.format === 'tbi' ? ' (use a CSI index: -C)' : ' (raise the depth)'),
      );
    }
    cur.lastBeg = beg;
    const bin = reg2bin(beg, end, this.minShift, this.depth);
    // Consecutive records mostly share a bin: skip the map lookup then.
    let chunks = bin === this.lastBin ? this.lastChunks : cur.bins.get(bin);
    if (!chunks) cur.bins.set(bin, (chunks = []));
    this.lastBin = bin;
    this.lastChunks = chunks;
    const last = chunks[chunks.length - 1];
    // Consecutive records of one bin form one chunk.
    if (last && last.end === vbeg) last.end = vend;
    else chunks.push({ beg: vbeg, end: vend });
    const w0 = Math.floor(beg / this.window);
    const w1 = Math.floor((end - 1) / this.window);
    for (let w = w0; w <= w1; w++) {
      if (w >= cur.linear.length) {
        const from = cur.linear.length;
        cur.linear.length = w + 1;
        cur.linear.fill(-1, from);
      }
      if (cur.linear[w] === -1) cur.linear[w] = vbeg;
    }
    if (cur.count === 0) cur.begin = vbeg;
    cur.end = vend;
    cur.count++;
  }

  finish(): BinningIndex {
    this.closeReference();
    return new BinningIndex(this.format, this.minShift, this.depth, this.config, this.names, this.refs);
  }

  private startReference(name: string, line: number): void {
    if (this.seen.has(name)) {
      throw new InputError(`${this.file}: line ${line}: sequence "${name}" appears in two separate blocks (the input is not sorted by sequence)`);
    }
    this.closeReference();
    this.lastBin = -1;
    this.seen.add(name);
    this.names.push(name);
    this.cur = { id: this.names.length - 1, bins: new Map(), linear: [], lastBeg: 0, begin: 0, end: 0, count: 0 };
  }

  private closeReference(): void {
    const cur = this.cur;
    if (!cur) return;
    // An empty window takes the offset of the next non-empty one, as htslib's update_loff: no
    // record overlaps the empty window, so records overlapping it or anything later start no
    // earlier than that (a tighter bound than the previous window's, and byte-identical indexes).
    const linear = cur.linear.slice();
    let next = 0;
    for (let w = linear.length - 1; w >= 0; w--) {
      if (linear[w] === -1) linear[w] = next;
      else next = linear[w]!;
    }
    const loffsets = new Map<number, VirtualOffset>();
    if (this.format === 'csi') {
      for (const bin of cur.bins.keys()) {
        const w = Math.floor(binStart(bin, this.minShift, this.depth) / this.window);
        loffsets.set(bin, linear[Math.min(w, linear.length - 1)] ?? 0);
      }
    }
    compressBins(cur.bins, this.depth); // after the loffsets, as htslib (a merged bin's loffset is dropped)
    const bins = new Map([...cur.bins.entries()].sort((a, b) => a[0] - b[0]));
    this.refs.push({
      bins,
      loffsets,
      linear: this.format === 'tbi' ? linear : [],
      meta: { begin: cur.begin, end: cur.end, mapped: cur.count, unmapped: 0 },
    });
    this.cur = undefined;
  }
}
