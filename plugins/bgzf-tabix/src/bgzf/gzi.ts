/**
 * The `.gzi` index of bgzip (`-i`, `-r`): maps uncompressed offsets to block starts so a
 * plain byte range of the uncompressed data can be read without scanning. On disk
 * (little-endian): u64 count, then count pairs of u64 (compressed offset, uncompressed
 * offset), one per block start after the first (the first block, at (0, 0), is implied).
 */
import { CorruptDataError, InvalidArgumentError } from '@genolake/core';

export interface GziEntry {
  coffset: number;
  uoffset: number;
}

export class Gzi {
  /** Sorted block starts, including the implied (0, 0). */
  readonly entries: GziEntry[];

  constructor(entries: GziEntry[] = []) {
    this.entries = entries.length > 0 && entries[0]!.coffset === 0 ? entries : [{ coffset: 0, uoffset: 0 }, ...entries];
  }

  /** Parses a `.gzi` file. `name` is used in error messages. */
  static parse(bytes: Uint8Array, name = '.gzi'): Gzi {
    if (bytes.length < 8) throw new CorruptDataError(`${name}: too short for a .gzi index (${bytes.length} bytes)`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const lo = dv.getUint32(0, true);
    const hi = dv.getUint32(4, true);
    // htslib 1.16 writes a count of 2^64-1 for an empty input (no data blocks); read it as 0.
    if (lo === 0xffffffff && hi === 0xffffffff && bytes.length === 8) return new Gzi();
    const count = hi * 2 ** 32 + lo;
    if (count * 16 + 8 !== bytes.length) {
      throw new CorruptDataError(`${name}: .gzi says ${count} entries but holds ${(bytes.length - 8) / 16}`);
    }
    const entries: GziEntry[] = [{ coffset: 0, uoffset: 0 }];
    for (let i = 0, p = 8; i < count; i++, p += 16) {
      const coffset = dv.getUint32(p, true) + dv.getUint32(p + 4, true) * 2 ** 32;
      const uoffset = dv.getUint32(p + 8, true) + dv.getUint32(p + 12, true) * 2 ** 32;
      const prev = entries[entries.length - 1]!;
      if (coffset <= prev.coffset || uoffset < prev.uoffset) {
        throw new CorruptDataError(`${name}: entries not increasing at byte ${p}`);
      }
      entries.push({ coffset, uoffset });
    }
    return new Gzi(entries);
  }

  encode(): Uint8Array {
    const rest = this.entries.slice(1);
    const out = new Uint8Array(8 + rest.length * 16);
    const dv = new DataView(out.buffer);
    const u64 = (p: number, v: number): void => {
      dv.setUint32(p, v % 2 ** 32, true);
      dv.setUint32(p + 4, Math.floor(v / 2 ** 32), true);
    };
    u64(0, rest.length);
    rest.forEach((e, i) => {
      u64(8 + i * 16, e.coffset);
      u64(16 + i * 16, e.uoffset);
    });
    return out;
  }

  /** The block holding uncompressed offset `uoffset`: its entry (binary search). */
  locate(uoffset: number): GziEntry {
    if (!Number.isSafeInteger(uoffset) || uoffset < 0) throw new InvalidArgumentError(`bad uncompressed offset ${uoffset}`);
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.entries[mid]!.uoffset <= uoffset) lo = mid;
      else hi = mid - 1;
    }
    return this.entries[lo]!;
  }
}
