/**
 * GT in BCF: each allele is an integer (allele index + 1) << 1 | phased, 0 being a missing
 * allele; the first end-of-vector sentinel ends a sample's genotype (lower ploidy). Printed as
 * htslib does: the separator before allele i comes from allele i's phase bit, the first allele's
 * bit is not printed, and an empty genotype is ".". Diploid and haploid int8 genotypes, nearly
 * all of them, are looked up in a table filled on first use.
 */
import { type Cursor, INT8 } from './typed.js';
import { endOf } from './values.js';

export class GenotypeText {
  private readonly diploid: (string | undefined)[] = new Array(65536);
  private readonly haploid: (string | undefined)[] = new Array(256);

  /** Sample genotype of `n` elements of integer `type` at `at` (the cursor does not move). */
  text(c: Cursor, at: number, type: number, n: number): string {
    if (type === INT8) {
      const b = c.bytes;
      if (n === 2) {
        const k = (b[at]! << 8) | b[at + 1]!;
        return this.diploid[k] ?? (this.diploid[k] = this.decode(c, at, type, n));
      }
      if (n === 1) return this.haploid[b[at]!] ?? (this.haploid[b[at]!] = this.decode(c, at, type, n));
    }
    return this.decode(c, at, type, n);
  }

  private decode(c: Cursor, at: number, type: number, n: number): string {
    const end = endOf(type);
    const save = c.p;
    c.p = at;
    let s = '';
    let i = 0;
    for (; i < n; i++) {
      const v = c.int(type);
      if (v === end) break;
      if (i) s += v & 1 ? '|' : '/';
      const a = v >> 1;
      s += a === 0 ? '.' : String(a - 1);
    }
    c.p = save;
    return i === 0 ? '.' : s;
  }
}
