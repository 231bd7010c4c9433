/**
 * A binary adaptive range coder (the carry-propagating byte-wise coder of Martin 1979, as
 * used by LZMA) with count-based adaptation: a bit probability starts at 1/2 and moves fast
 * on its first observations (rate 1/(n+1.5)), then settles to a slow exponential average.
 * Context models (qual-model.ts, seq-model.ts) code each symbol as a few bits down a binary
 * tree, each node with its own probability.
 */

/** Probabilities are 12-bit: P(bit = 0) = p / 4096. */
const BITS = 12;
const ONE = 1 << BITS;
const TOP = 1 << 24;
/** Adaptation steps, 65536ths of the distance to the target, by times seen. */
const RATE = Uint32Array.from({ length: 32 }, (_, n) => Math.round(65536 / Math.min(n + 1.5, 24)));
const LIMIT = RATE.length - 1;

/** One node table of a model: probabilities and observation counts. */
export class BitModels {
  readonly p: Uint16Array;
  readonly n: Uint8Array;
  constructor(size: number) {
    this.p = new Uint16Array(size).fill(ONE >> 1);
    this.n = new Uint8Array(size);
  }
}

function update(m: BitModels, i: number, bit: number): void {
  const p = m.p[i]!, c = m.n[i]!;
  const target = bit ? 31 : ONE - 31;
  m.p[i] = p + (((target - p) * RATE[c]!) >> 16);
  if (c < LIMIT) m.n[i] = c + 1;
}

export class RangeEncoder {
  private out: Uint8Array;
  private at = 0;
  private low = 0;
  private range = 0xffffffff;
  private cache = 0;
  private cacheSize = 1;

  constructor(capacity = 1024) {
    this.out = new Uint8Array(Math.max(16, capacity));
  }

  private byte(b: number): void {
    if (this.at === this.out.length) {
      const next = new Uint8Array(this.out.length * 2);
      next.set(this.out);
      this.out = next;
    }
    this.out[this.at++] = b;
  }

  private shiftLow(): void {
    const low = this.low;
    if (low < 0xff000000 || low >= 0x100000000) {
      const carry = low >= 0x100000000 ? 1 : 0;
      let b = this.cache;
      do {
        this.byte((b + carry) & 0xff);
        b = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = (low >>> 24) & 0xff;
    }
    this.cacheSize++;
    this.low = (low & 0xffffff) * 256;
  }

  bit(m: BitModels, i: number, bit: number): void {
    const bound = (this.range >>> BITS) * m.p[i]!;
    if (bit) {
      this.low += bound;
      this.range -= bound;
    } else this.range = bound;
    update(m, i, bit);
    while (this.range < TOP) {
      this.range = (this.range << 8) >>> 0;
      this.shiftLow();
    }
  }

  /** Codes `sym` (< 2^bits) down the binary tree of nodes base+1 .. base+2^bits-1. */
  symbol(m: BitModels, base: number, bits: number, sym: number): void {
    let node = 1;
    for (let k = bits - 1; k >= 0; k--) {
      const b = (sym >> k) & 1;
      this.bit(m, base + node, b);
      node = (node << 1) | b;
    }
  }

  finish(): Uint8Array {
    for (let i = 0; i < 5; i++) this.shiftLow();
    return this.out.subarray(0, this.at);
  }
}

export class RangeDecoder {
  private at: number;
  private code = 0;
  private range = 0xffffffff;

  constructor(private readonly data: Uint8Array, from: number) {
    this.at = from;
    for (let i = 0; i < 5; i++) this.code = ((this.code << 8) | this.next()) >>> 0;
  }

  private next(): number {
    return this.at < this.data.length ? this.data[this.at++]! : 0;
  }

  bit(m: BitModels, i: number): number {
    const bound = (this.range >>> BITS) * m.p[i]!;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      bit = 0;
    } else {
      this.code -= bound;
      this.range -= bound;
      bit = 1;
    }
    update(m, i, bit);
    while (this.range < TOP) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.next()) >>> 0;
    }
    return bit;
  }

  symbol(m: BitModels, base: number, bits: number): number {
    let node = 1;
    for (let k = 0; k < bits; k++) node = (node << 1) | this.bit(m, base + node);
    return node - (1 << bits);
  }
}
