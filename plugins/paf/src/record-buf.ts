/**
 * Owned record building (the writer side of record.ts): fields in, BAM record bytes out.
 * A CIGAR of more than 65535 ops is stored as SAMv1 §4.2.2 asks: a `<l_seq>S<ref_len>N`
 * placeholder with the real ops in a trailing CG:B:I tag.
 */
import { ByteWriter } from './aux.js';
import { recordBin } from './bin.js';
import { CIGAR_OPS, consumesReference } from './cigar.js';
import { FLAG_UNMAPPED } from './record.js';

export interface RecordFields {
  name: string;
  flag: number;
  refId: number;
  /** 0-based, -1 when absent. */
  pos: number;
  mapq: number;
  /** Packed ops (length << 4 | code). */
  cigar: ArrayLike<number>;
  nextRefId: number;
  nextPos: number;
  tlen: number;
  /** 4-bit codes, one per base. */
  seq: Uint8Array;
  /** Phred values, or all 0xff when absent. */
  qual: Uint8Array;
  /** BAM aux bytes. */
  aux: Uint8Array;
}

const S = CIGAR_OPS.indexOf('S'), N = CIGAR_OPS.indexOf('N');

export function refLengthOf(ops: ArrayLike<number>): number {
  let len = 0;
  for (let i = 0; i < ops.length; i++) if (consumesReference(ops[i]! & 15)) len += ops[i]! >>> 4;
  return len;
}

export function encodeRecord(f: RecordFields, out = new ByteWriter()): Uint8Array {
  out.length = 0;
  const rlen = refLengthOf(f.cigar);
  const long = f.cigar.length > 0xffff;
  const lSeq = f.seq.length;
  const cigar = long ? [lSeq * 16 + S, rlen * 16 + N] : f.cigar;
  out.num(f.refId, 0x69);
  out.num(f.pos, 0x69);
  out.u8(f.name.length + 1);
  out.u8(f.mapq);
  out.num(recordBin(f.pos, f.flag & FLAG_UNMAPPED ? 0 : rlen), 0x53);
  out.num(cigar.length, 0x53);
  out.num(f.flag, 0x53);
  out.num(lSeq, 0x49);
  out.num(f.nextRefId, 0x69);
  out.num(f.nextPos, 0x69);
  out.num(f.tlen, 0x69);
  out.latin1(f.name);
  out.u8(0);
  for (let i = 0; i < cigar.length; i++) out.num(cigar[i]!, 0x49);
  out.ensure((lSeq + 1) >> 1);
  for (let i = 0; i < lSeq; i += 2) out.buf[out.length++] = (f.seq[i]! << 4) | (i + 1 < lSeq ? f.seq[i + 1]! : 0);
  out.bytes(f.qual);
  out.bytes(f.aux);
  if (long) {
    out.latin1('CGBI');
    out.num(f.cigar.length, 0x49);
    for (let i = 0; i < f.cigar.length; i++) out.num(f.cigar[i]!, 0x49);
  }
  return out.take();
}
