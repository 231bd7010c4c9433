/**
 * A BlockSink in front of the real one that notes where each BGZF block starts, in the file
 * and in the uncompressed stream, as the blocks pass through. Index builders count records in
 * uncompressed offsets (free while writing) and turn them into virtual offsets (SAMv1 §4.1.1)
 * at the end, instead of stalling the compression pipeline to ask for each record's offset.
 */
import { CorruptDataError } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

export class BlockMap implements bgzf.BlockSink {
  /** File offset of each non-empty block. */
  private readonly cstarts: number[] = [];
  /** Uncompressed offset of each non-empty block's first byte. */
  private readonly ustarts: number[] = [];
  /** Compressed and uncompressed bytes seen so far (whole blocks only). */
  private coffset = 0;
  private uoffset = 0;
  /** File offset just past the last non-empty block (where the EOF block starts). */
  private dataEnd = 0;
  /** Bytes of a block split across writes. */
  private carry: Uint8Array = new Uint8Array(0);

  constructor(private readonly sink: bgzf.BlockSink) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.scan(chunk);
    await this.sink.write(chunk);
  }

  /** Uncompressed bytes in the blocks seen so far. */
  get uncompressedLength(): number {
    return this.uoffset;
  }

  /**
   * Virtual offset of uncompressed offset `u`. An offset at a block's end is given as the
   * start of the next block, as htslib's bgzf_tell reports it after a full block.
   */
  virtual(u: number): bgzf.VirtualOffset {
    if (u < 0 || u > this.uoffset) throw new CorruptDataError(`BAM index: uncompressed offset ${u} is outside the ${this.uoffset} bytes written`);
    let lo = 0, hi = this.ustarts.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ustarts[mid]! <= u) (at = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    if (at < 0 || u === this.uoffset) return bgzf.virtualOffset.make(at < 0 ? 0 : this.dataEnd, 0);
    const next = this.ustarts[at + 1];
    if (next !== undefined && u === next) return bgzf.virtualOffset.make(this.cstarts[at + 1]!, 0);
    return bgzf.virtualOffset.make(this.cstarts[at]!, u - this.ustarts[at]!);
  }

  private scan(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.carry.length) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
    }
    let p = 0;
    while (buf.length - p >= 12) {
      const xlen = u16(buf, p + 10);
      if (buf.length - p < 12 + xlen) break;
      let size = -1;
      for (let q = p + 12; q + 4 <= p + 12 + xlen; q += 4 + u16(buf, q + 2)) {
        if (buf[q] === 66 && buf[q + 1] === 67 && u16(buf, q + 2) === 2) size = u16(buf, q + 4) + 1;
      }
      if (size < 0) throw new CorruptDataError(`BAM writer output: BGZF block without a BC size field at file offset ${this.coffset}`);
      if (buf.length - p < size) break;
      const isize = u32(buf, p + size - 4);
      if (isize > 0) {
        this.cstarts.push(this.coffset);
        this.ustarts.push(this.uoffset);
        this.dataEnd = this.coffset + size;
      }
      this.coffset += size;
      this.uoffset += isize;
      p += size;
    }
    this.carry = buf.slice(p);
  }
}
