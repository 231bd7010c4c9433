/**
 * SAM text straight from decoded columns into one growing byte buffer: no BAM record is
 * rebuilt and no string is made per field, which is what a region query's output costs most
 * (rebuilding BAM bytes, then formatting them through strings, ran at ~5 µs per record; this
 * is ~1 µs). Byte-identical to `formatRecord` (samtools view): the rare records it does not
 * format itself (a CIGAR kept in the CG tag) go through RecordAssembler + formatRecord, and
 * `B` array values through formatAux. Float values (`de:f:` on every minimap2 record) are
 * formatted here: through formatAux and a per-record string copy they cost half of a
 * 100 kb region query.
 */
import type { BinaryColumn, ColumnBatch, ListColumn, NumericColumn } from '@genolake/core';
import { auxFieldLength, formatAux } from '../aux.js';
import { CIGAR_OPS } from '../cigar.js';
import { formatRecord } from '../sam/writer.js';
import { formatFloat } from '../float.js';
import { RecordAssembler } from './columns.js';

const TAB = 9, NL = 10, STAR = 42, COLON = 58;
const OPS = Uint8Array.from(CIGAR_OPS, (c) => c.charCodeAt(0));
const SOFT_CLIP = 4;
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const f32 = new Float32Array(1), f64 = new Float64Array(1);
const f32b = new Uint8Array(f32.buffer), f64b = new Uint8Array(f64.buffer);
function readF32(d: Uint8Array, at: number): number {
  for (let k = 0; k < 4; k++) f32b[k] = d[at + k]!;
  return f32[0]!;
}
function readF64(d: Uint8Array, at: number): number {
  for (let k = 0; k < 8; k++) f64b[k] = d[at + k]!;
  return f64[0]!;
}

export class SamText {
  private buf = new Uint8Array(1 << 20);
  /** Bytes of text held. */
  length = 0;
  private readonly refNames: Uint8Array[];
  private asmBatch: ColumnBatch | undefined;
  private asm: RecordAssembler | undefined;

  /** `names`: the header's reference names, by reference id. */
  constructor(private readonly names: readonly string[]) {
    this.refNames = names.map(latin1);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  private int(v: number): void {
    const b = this.buf;
    let at = this.length;
    if (v < 0) {
      b[at++] = 45;
      v = -v;
    }
    if (v < 10) {
      b[at++] = 48 + v;
      this.length = at;
      return;
    }
    const start = at;
    while (v > 0) {
      const q = Math.floor(v / 10);
      b[at++] = 48 + (v - q * 10);
      v = q;
    }
    for (let i = start, j = at - 1; i < j; i++, j--) {
      const t = b[i]!;
      b[i] = b[j]!;
      b[j] = t;
    }
    this.length = at;
  }

  /** Latin-1 text, one byte per character. */
  private text(t: string): void {
    this.ensure(t.length + 1);
    const b = this.buf;
    let at = this.length;
    for (let k = 0; k < t.length; k++) b[at++] = t.charCodeAt(k);
    this.length = at;
  }

  private copy(src: Uint8Array, from: number, to: number): void {
    const b = this.buf;
    let at = this.length;
    for (let k = from; k < to; k++) b[at++] = src[k]!;
    this.length = at;
  }

  /** Through the BAM record path: for the rare shapes the fast path leaves out. */
  private slow(batch: ColumnBatch, refId: number, i: number): void {
    if (this.asmBatch !== batch) {
      this.asmBatch = batch;
      this.asm = new RecordAssembler(batch, refId);
    }
    this.text(formatRecord(this.asm!.record(i), this.names));
    this.buf[this.length++] = NL;
  }

  /** Appends record `i` of `batch` (every paf field decoded; reference `refId`) as one SAM line and its newline. */
  add(batch: ColumnBatch, refId: number, i: number): void {
    const c = batch.columns;
    const cig = c.cigar as ListColumn;
    const ops = (cig.child as NumericColumn).values as Uint32Array;
    const o0 = cig.offsets[i]!, o1 = cig.offsets[i + 1]!;
    const seq = c.seq as BinaryColumn, qual = c.qual as BinaryColumn, aux = c.aux as BinaryColumn, name = c.name as BinaryColumn;
    const s0 = seq.offsets[i]!, s1 = seq.offsets[i + 1]!;
    // A first op soft-clipping the whole read may be the placeholder of a CIGAR kept in CG.
    if (o1 > o0 && (ops[o0]! & 15) === SOFT_CLIP && ops[o0]! >>> 4 === s1 - s0) return this.slow(batch, refId, i);
    const n0 = name.offsets[i]!, n1 = name.offsets[i + 1]!;
    const a0 = aux.offsets[i]!, a1 = aux.offsets[i + 1]!;
    const nextRefId = (c.nextRefId as NumericColumn).values[i] as number;
    const rname = refId < 0 ? undefined : this.refNames[refId]!;
    const rnext = nextRefId < 0 || nextRefId === refId ? undefined : this.refNames[nextRefId]!;
    this.ensure((n1 - n0) + 140 + (rname?.length ?? 0) + (rnext?.length ?? 0) + (o1 - o0) * 11 + 2 * (s1 - s0) + 4 * (a1 - a0));
    const b = this.buf;
    if (n1 > n0) this.copy(name.data, n0, n1);
    else b[this.length++] = STAR;
    b[this.length++] = TAB;
    this.int((c.flag as NumericColumn).values[i] as number);
    b[this.length++] = TAB;
    if (rname) this.copy(rname, 0, rname.length);
    else b[this.length++] = STAR;
    b[this.length++] = TAB;
    this.int(((c.pos as NumericColumn).values[i] as number) + 1);
    b[this.length++] = TAB;
    this.int((c.mapq as NumericColumn).values[i] as number);
    b[this.length++] = TAB;
    if (o1 === o0) b[this.length++] = STAR;
    for (let k = o0; k < o1; k++) {
      this.int(ops[k]! >>> 4);
      b[this.length++] = OPS[ops[k]! & 15] ?? 63;
    }
    b[this.length++] = TAB;
    if (nextRefId < 0) b[this.length++] = STAR;
    else if (!rnext) b[this.length++] = 61; // '='
    else this.copy(rnext, 0, rnext.length);
    b[this.length++] = TAB;
    this.int(((c.nextPos as NumericColumn).values[i] as number) + 1);
    b[this.length++] = TAB;
    this.int((c.tlen as NumericColumn).values[i] as number);
    b[this.length++] = TAB;
    if (s1 > s0) this.copy(seq.data, s0, s1);
    else b[this.length++] = STAR;
    b[this.length++] = TAB;
    const q0 = qual.offsets[i]!, q1 = qual.offsets[i + 1]!;
    if (q1 === q0 || qual.data[q0] === 0xff) b[this.length++] = STAR;
    else {
      const qd = qual.data;
      let at = this.length;
      for (let k = q0; k < q1; k++) b[at++] = qd[k]! + 33;
      this.length = at;
    }
    if (a1 > a0) this.aux(aux.data, a0, a1);
    this.buf[this.length++] = NL; // aux text may have grown the buffer
  }

  /** Aux fields: integers, characters, strings and floats here; arrays through formatAux. */
  private aux(d: Uint8Array, from: number, to: number): void {
    for (let at = from; at < to;) {
      const type = d[at + 2]!;
      const len = auxFieldLength(d, at, 'record');
      if (type === 0x42) {
        this.buf[this.length++] = TAB;
        this.text(formatAux(d.subarray(at, at + len)));
        at += len;
        continue;
      }
      const b = this.buf;
      b[this.length++] = TAB;
      b[this.length++] = d[at]!;
      b[this.length++] = d[at + 1]!;
      b[this.length++] = COLON;
      const v = at + 3;
      switch (type) {
        case 0x5a: case 0x48: case 0x41: // Z, H: text up to the NUL; A: one character
          b[this.length++] = type;
          b[this.length++] = COLON;
          this.copy(d, v, type === 0x41 ? v + 1 : at + len - 1);
          break;
        case 0x66: case 0x64: { // f, d: C's %g, as samtools prints them
          b[this.length++] = type;
          b[this.length++] = COLON;
          const x = type === 0x66 ? readF32(d, v) : readF64(d, v);
          if (x === 0 && !Object.is(x, -0)) b[this.length++] = 48;
          else this.text(formatFloat(x));
          break;
        }
        default:
          b[this.length++] = 105; // 'i' for every integer width
          b[this.length++] = COLON;
          this.int(
            type === 0x63 ? (d[v]! << 24) >> 24
              : type === 0x43 ? d[v]!
                : type === 0x73 ? ((d[v]! | (d[v + 1]! << 8)) << 16) >> 16
                  : type === 0x53 ? d[v]! | (d[v + 1]! << 8)
                    : type === 0x69 ? d[v]! | (d[v + 1]! << 8) | (d[v + 2]! << 16) | (d[v + 3]! << 24)
                      : (d[v]! | (d[v + 1]! << 8) | (d[v + 2]! << 16) | (d[v + 3]! << 24)) >>> 0,
          );
      }
      at += len;
    }
  }

  /** The text so far (a copy, safe to hand to an async writer); the buffer starts over. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}
