/** The .tbi file (tabix.pdf): a BGZF-compressed binning index with a 16 kbp linear index. */
import { CorruptDataError, UnsupportedError } from '@genolake/core';
import { ByteReader, ByteWriter } from '../binning/bytes.js';
import { BinningIndex, type Chunk, type ReferenceIndex } from '../binning/index.js';
import { metaBin } from '../binning/bins.js';
import { fromBytes } from '../source.js';
import { collect } from '../bgzf/collect.js';
import { compressSync } from '../bgzf/writer.js';
import { readMeta, writeMeta } from './meta.js';

const MAGIC = [0x54, 0x42, 0x49, 0x01]; // "TBI\1"
export const TBI_MIN_SHIFT = 14;
export const TBI_DEPTH = 5;

export function encodeTbi(index: BinningIndex): Uint8Array {
  if (index.minShift !== TBI_MIN_SHIFT || index.depth !== TBI_DEPTH) {
    throw new UnsupportedError(`.tbi needs min-shift 14 and depth 5 (got ${index.minShift}, ${index.depth}); use CSI`);
  }
  const w = new ByteWriter();
  w.bytes(Uint8Array.from(MAGIC));
  w.i32(index.names.length);
  writeMeta(w, index.config, index.names);
  const pseudo = metaBin(TBI_DEPTH);
  for (const ref of index.refs) {
    w.i32(ref.bins.size + (ref.meta ? 1 : 0));
    for (const [bin, chunks] of ref.bins) {
      w.u32(bin);
      w.i32(chunks.length);
      for (const c of chunks) {
        w.u64(c.beg);
        w.u64(c.end);
      }
    }
    if (ref.meta) {
      w.u32(pseudo);
      w.i32(2);
      w.u64(ref.meta.begin);
      w.u64(ref.meta.end);
      w.u64(ref.meta.mapped);
      w.u64(ref.meta.unmapped);
    }
    w.i32(ref.linear.length);
    for (const v of ref.linear) w.u64(v);
  }
  // n_no_coor: records without coordinates, written by htslib after the last reference (tabix: 0).
  w.u64(index.unplaced ?? 0);
  return compressSync(w.finish());
}

/** Reads the bins of one reference; shared with CSI, which adds a loffset per bin. */
export function readBins(r: ByteReader, depth: number, withLoffset: boolean): ReferenceIndex {
  const pseudo = metaBin(depth);
  const ref: ReferenceIndex = { bins: new Map(), loffsets: new Map(), linear: [] };
  const nBin = r.count('bin', withLoffset ? 16 : 8);
  for (let i = 0; i < nBin; i++) {
    const bin = r.u32();
    const loffset = withLoffset ? r.u64() : undefined;
    const nChunk = r.count('chunk', 16);
    const chunks: Chunk[] = [];
    for (let j = 0; j < nChunk; j++) chunks.push({ beg: r.u64(), end: r.u64() });
    if (bin === pseudo) {
      if (chunks.length === 2) ref.meta = { begin: chunks[0]!.beg, end: chunks[0]!.end, mapped: chunks[1]!.beg, unmapped: chunks[1]!.end };
      continue;
    }
    if (bin > pseudo) throw new CorruptDataError(`${r.name}: bin ${bin} out of range at byte ${r.pos}`);
    ref.bins.set(bin, chunks);
    if (loffset !== undefined) ref.loffsets.set(bin, loffset);
  }
  return ref;
}

export async function decodeTbi(bytes: Uint8Array, name = '.tbi'): Promise<BinningIndex> {
  const raw = await collect(fromBytes(bytes, name), name);
  const r = new ByteReader(raw, name);
  const magic = r.bytes(4);
  if (!MAGIC.every((m, i) => magic[i] === m)) throw new CorruptDataError(`${name}: not a tabix index (bad magic)`);
  const nRef = r.count('reference', 8);
  const { config, names } = readMeta(r, nRef);
  const refs: ReferenceIndex[] = [];
  for (let i = 0; i < nRef; i++) {
    const ref = readBins(r, TBI_DEPTH, false);
    const nIntv = r.count('linear index', 8);
    for (let j = 0; j < nIntv; j++) ref.linear.push(r.u64());
    refs.push(ref);
  }
  const unplaced = r.remaining >= 8 ? r.u64() : undefined;
  return new BinningIndex('tbi', TBI_MIN_SHIFT, TBI_DEPTH, config, names, refs, unplaced);
}
