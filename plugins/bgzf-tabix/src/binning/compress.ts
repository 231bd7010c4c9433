/**
 * Folding small bins into their parents, as htslib does when it finishes an index: a bin whose
 * chunks all start and end within HTS_MIN_MARKER_DIST (64 KiB) of compressed data costs a
 * separate seek for no gain, so its chunks move to the parent bin (when the parent exists),
 * deepest level first; then, in every bin, chunks whose start lies in a block already reached
 * by the previous chunk are merged. Queries stay correct (a parent bin is always searched with
 * its children) and the index shrinks; the result matches htslib's bin for bin.
 */
import * as vo from '../bgzf/virtual-offset.js';
import { levelStart, parentBin } from './bins.js';
import type { Chunk } from './index.js';

/** htslib's HTS_MIN_MARKER_DIST: compressed bytes a bin must span to keep its own chunks. */
export const MIN_MARKER_DIST = 0x10000;

const byBeg = (a: Chunk, b: Chunk): number => a.beg - b.beg;

/** Compresses `bins` (real bins only, no metadata pseudo-bin) in place. */
export function compressBins(bins: Map<number, Chunk[]>, depth: number): void {
  for (let l = depth; l > 0; l--) {
    const first = levelStart(l);
    const last = levelStart(l + 1);
    for (const [bin, chunks] of [...bins]) {
      if (bin < first || bin >= last) continue;
      // Deepest-level bins are in file order already; others may have received children.
      if (l < depth && chunks.length > 1) chunks.sort(byBeg);
      if (vo.coffset(chunks[chunks.length - 1]!.end) - vo.coffset(chunks[0]!.beg) >= MIN_MARKER_DIST) continue;
      const parent = bins.get(parentBin(bin));
      if (!parent) continue;
      parent.push(...chunks);
      bins.delete(bin);
    }
  }
  bins.get(0)?.sort(byBeg);
  for (const [bin, chunks] of bins) {
    const out: Chunk[] = [];
    for (const c of chunks) {
      const prev = out[out.length - 1];
      if (prev && vo.coffset(prev.end) >= vo.coffset(c.beg)) {
        if (c.end > prev.end) prev.end = c.end;
      } else out.push({ beg: c.beg, end: c.end });
    }
    bins.set(bin, out);
  }
}
