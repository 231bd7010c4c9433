/**
 * An alignment record as its BAM bytes (SAMv1 §4.2, without the leading block_size): a lazy
 * view that decodes a field when asked. BAM in, SAM in (encoded to the same bytes), dataset
 * chunks and BAM/SAM out all meet at this one representation.
 *
 * Fixed part (little-endian): refID i32 @0, pos i32 @4 (0-based), l_read_name u8 @8,
 * mapq u8 @9, bin u16 @10, n_cigar_op u16 @12, flag u16 @14, l_seq u32 @16,
 * next_refID i32 @20, next_pos i32 @24, tlen i32 @28; then read_name (NUL-terminated),
 * cigar (u32 each), seq (4-bit, (l_seq+1)/2 bytes), qual (l_seq bytes), aux.
 */
import { referenceLength } from './cigar.js';

export const FIXED_LENGTH = 32;
export const FLAG_UNMAPPED = 0x4;

const latin1 = new TextDecoder('latin1');

export class Record {
  constructor(
    /** The record's bytes (a view; copy with `clone()` to keep past the reader's buffer). */
    readonly bytes: Uint8Array,
  ) {}

  private i32(at: number): number {
    const b = this.bytes;
    return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
  }

  private u16(at: number): number {
    return this.bytes[at]! | (this.bytes[at + 1]! << 8);
  }

  get refId(): number { return this.i32(0); }
  /** 0-based leftmost position, -1 when absent. */
  get pos(): number { return this.i32(4); }
  get nameLength(): number { return this.bytes[8]!; }
  get mapq(): number { return this.bytes[9]!; }
  get bin(): number { return this.u16(10); }
  get cigarCount(): number { return this.u16(12); }
  get flag(): number { return this.u16(14); }
  get seqLength(): number { return this.i32(16) >>> 0; }
  get nextRefId(): number { return this.i32(20); }
  get nextPos(): number { return this.i32(24); }
  get tlen(): number { return this.i32(28); }

  get name(): string {
    return latin1.decode(this.bytes.subarray(FIXED_LENGTH, FIXED_LENGTH + this.nameLength - 1));
  }
  get cigarOffset(): number { return FIXED_LENGTH + this.nameLength; }
  get seqOffset(): number { return this.cigarOffset + 4 * this.cigarCount; }
  get qualOffset(): number { return this.seqOffset + ((this.seqLength + 1) >>> 1); }
  get auxOffset(): number { return this.qualOffset + this.seqLength; }
  /** The packed CIGAR ops. */
  cigarOps(): Uint32Array {
    const n = this.cigarCount;
    const out = new Uint32Array(n);
    const b = this.bytes;
    for (let i = 0, o = this.cigarOffset; i < n; i++, o += 4) out[i] = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
    return out;
  }
  get aux(): Uint8Array { return this.bytes.subarray(this.auxOffset); }

  /** Reference bases covered by the CIGAR. */
  get referenceLength(): number {
    return referenceLength(this.bytes, this.cigarOffset, this.cigarCount);
  }

  /**
   * 0-based exclusive end used for region overlap, as htslib's bam_endpos: pos + the CIGAR's
   * reference length, or pos + 1 when the read is unmapped or its CIGAR covers no reference.
   */
  get end(): number {
    const pos = this.pos;
    if (this.flag & FLAG_UNMAPPED) return pos + 1;
    const len = this.referenceLength;
    return pos + (len > 0 ? len : 1);
  }

  clone(): Record {
    return new Record(this.bytes.slice());
  }
}
