/**
 * The .csi file (CSIv1): like .tbi but with a configurable min-shift and depth, a loffset per
 * bin instead of the linear index, and the tabix configuration in its aux data.
 */
import { CorruptDataError } from '@genolake/core';
import { ByteReader, ByteWriter } from '../binning/bytes.js';
import { BinningIndex, type ReferenceIndex } from '../binning/index.js';
import { metaBin } from '../binning/bins.js';
import { collect } from '../bgzf/collect.js';
import { compressSync } from '../bgzf/writer.js';
import { fromBytes } from '../source.js';
import { PRESETS } from '../tabix/config.js';
import { encodeMeta, readMeta } from '../tabix/meta.js';
import { readBins } from '../tabix/tbi.js';

const MAGIC = [0x43, 0x53, 0x49, 0x01]; // "CSI\1"

export function encodeCsi(index: BinningIndex): Uint8Array {
  const w = new ByteWriter();
  w.bytes(Uint8Array.from(MAGIC));
  w.i32(index.minShift);
  w.i32(index.depth);
  const aux = encodeMeta(index.config, index.names);
  w.i32(aux.length);
  w.bytes(aux);
  w.i32(index.refs.length);
  const pseudo = metaBin(index.depth);
  for (const ref of index.refs) {
    w.i32(ref.bins.size + (ref.meta ? 1 : 0));
    for (const [bin, chunks] of ref.bins) {
      w.u32(bin);
      w.u64(ref.loffsets.get(bin) ?? 0);
      w.i32(chunks.length);
      for (const c of chunks) {
        w.u64(c.beg);
        w.u64(c.end);
      }
    }
    if (ref.meta) {
      w.u32(pseudo);
      w.u64(0);
      w.i32(2);
      w.u64(ref.meta.begin);
      w.u64(ref.meta.end);
      w.u64(ref.meta.mapped);
      w.u64(ref.meta.unmapped);
    }
  }
  // n_no_coor: records without coordinates, written by htslib after the last reference (tabix: 0).
  w.u64(index.unplaced ?? 0);
  return compressSync(w.finish());
}

export async function decodeCsi(bytes: Uint8Array, name = '.csi'): Promise<BinningIndex> {
  const raw = await collect(fromBytes(bytes, name), name);
  const r = new ByteReader(raw, name);
  const magic = r.bytes(4);
  if (!MAGIC.every((m, i) => magic[i] === m)) throw new CorruptDataError(`${name}: not a CSI index (bad magic)`);
  const minShift = r.i32();
  const depth = r.i32();
  if (minShift < 0 || minShift > 40 || depth < 0 || depth > 15) throw new CorruptDataError(`${name}: bad min-shift ${minShift} / depth ${depth}`);
  const lAux = r.count('aux byte', 1);
  const aux = new ByteReader(r.bytes(lAux), name);
  const nRef = r.count('reference', 4);
  // CSI without tabix aux data (from BAM/BCF) has no names; queries then need them from elsewhere.
  const { config, names } = lAux >= 28 ? readMeta(aux, nRef) : { config: PRESETS.vcf!, names: [] };
  const refs: ReferenceIndex[] = [];
  for (let i = 0; i < nRef; i++) refs.push(readBins(r, depth, true));
  const unplaced = r.remaining >= 8 ? r.u64() : undefined;
  return new BinningIndex('csi', minShift, depth, config, names, refs, unplaced);
}
