/**
 * Records -> the columns of one chunk, built straight into growable typed arrays (no row
 * objects), and back: columns -> BAM record bytes.
 */
import type { ChunkGroupInput, ColumnBatch, NumericColumn, BinaryColumn, ListColumn } from '@genolake/core';
import { ByteWriter } from '../aux.js';
import { encodeRecord } from '../record-buf.js';
import { referenceLength } from '../cigar.js';
import { FLAG_UNMAPPED, Record } from '../record.js';
import { relativeMate } from './mates.js';
import { pafSchema } from './schema.js';

/** A byte column: values written in place into one growing buffer; offsets kept by ChunkColumns. */
class Bin {
  data: Uint8Array;
  /** The same buffer as 16-bit units (whole when its length is odd: a view needs an even length). */
  u16: Uint16Array;
  length = 0;
  offsets: Int32Array;
  constructor(pool: BufferPool, bytes: number, records: number) {
    this.data = new Uint8Array(pool.take(bytes));
    this.u16 = new Uint16Array(this.data.buffer, 0, this.data.length >>> 1);
    this.offsets = new Int32Array(pool.take(4 * (records + 1)), 0, records + 1);
    this.offsets[0] = 0;
  }
  /** Makes room for `n` more bytes at `length`. */
  room(n: number): void {
    if (this.length + n > this.data.length) {
      const next = new Uint8Array(Math.max(this.data.length * 2, this.length + n));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
      this.u16 = new Uint16Array(next.buffer, 0, next.length >>> 1);
    }
  }
  copy(b: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    const d = this.data;
    // Short values byte by byte: a subarray view per value costs more than the loop.
    if (to - from < 128) for (let k = from, at = this.length; k < to; k++) d[at++] = b[k]!;
    else d.set(b.subarray(from, to), this.length);
    this.length += to - from;
  }
  column(kind: 'string' | 'bytes', length: number): BinaryColumn {
    return { kind, length, offsets: this.offsets.subarray(0, length + 1), data: this.data.subarray(0, this.length) };
  }
}

function grown<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: T, n: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a);
  return next;
}

const SEQ_LETTERS = new Uint8Array([...'=ACMGRSVTWYHKDBN'].map((c) => c.charCodeAt(0)));
/** A packed byte (two 4-bit bases) -> its two letters as one 16-bit store (little-endian hosts). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SEQ_PAIRS = Uint16Array.from({ length: 256 }, (_, v) => SEQ_LETTERS[v >> 4]! | (SEQ_LETTERS[v & 15]! << 8));

/** Where record groups (pages) are cut: at most `records` records (a multiple of 8) or about `bytes` raw BAM bytes. */
export interface GroupTarget {
  records: number;
  bytes: number;
}

/** Buffer sizes a chunk starts with (records, CIGAR ops, bytes per binary column). */
export interface ColumnSizes {
  records: number;
  cigarOps: number;
  name: number;
  seq: number;
  qual: number;
  aux: number;
}

/**
 * Spare buffers for chunk columns. The chunks' buffers come back from the encoder once it is
 * done with them (writer.ts), and later chunks are built in them: no fresh allocation to zero
 * and fault in, no GC of large buffers. A reused buffer holds old bytes: every value is
 * written before it is read, and offsets[0] is set explicitly.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  constructor(private readonly max = 64) {}

  put(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength > 0 && this.free.length < this.max) this.free.push(b);
  }

  /** The smallest spare of at least `bytes` bytes, else a new buffer. */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const n = this.free[i]!.byteLength;
      if (n >= bytes && (best < 0 || n < this.free[best]!.byteLength)) best = i;
    }
    return best < 0 ? new ArrayBuffer(bytes) : this.free.splice(best, 1)[0]!;
  }
}

const MIN_SIZES: ColumnSizes = { records: 1024, cigarOps: 4096, name: 1 << 14, seq: 1 << 16, qual: 1 << 16, aux: 1 << 16 };

export class ChunkColumns {
  length = 0;
  /** Raw record bytes added (for the chunk size target). */
  rawBytes = 0;
  minPos = Infinity;
  maxPos = -Infinity;
  maxEnd = -Infinity;
  /** Closed record groups with their genomic span [min pos, max alignment end). */
  readonly groups: ChunkGroupInput[] = [];
  private gRecords = 0;
  private gBytes = 0;
  private gMin = Infinity;
  private gMaxEnd = -Infinity;
  /** Records the per-record arrays hold. */
  private cap: number;
  private flag: Uint16Array;
  private pos: Int32Array;
  private span: Uint32Array;
  private mapq: Uint8Array;
  private nextRefId: Int32Array;
  private nextPos: Int32Array;
  private tlen: Int32Array;
  private cigarOffsets: Int32Array;
  private cigarOps: Uint32Array;
  private nOps = 0;
  private readonly name: Bin;
  private readonly seq: Bin;
  private readonly qual: Bin;
  private readonly aux: Bin;
  private readonly mate = new Int32Array(2);

  /**
   * `sizes`: initial buffer sizes, e.g. the largest chunk's so far (`sizes()`), so chunks of
   * a run start big enough instead of regrowing (and copying) from small buffers each time;
   * `pool`: where the buffers come from.
   */
  constructor(private readonly target: GroupTarget = { records: Infinity, bytes: Infinity }, sizes?: ColumnSizes, pool = new BufferPool(0)) {
    const z = sizes ?? MIN_SIZES;
    const n = (this.cap = Math.max(z.records, MIN_SIZES.records));
    this.flag = new Uint16Array(pool.take(2 * n), 0, n);
    this.pos = new Int32Array(pool.take(4 * n), 0, n);
    this.span = new Uint32Array(pool.take(4 * n), 0, n);
    this.mapq = new Uint8Array(pool.take(n), 0, n);
    this.nextRefId = new Int32Array(pool.take(4 * n), 0, n);
    this.nextPos = new Int32Array(pool.take(4 * n), 0, n);
    this.tlen = new Int32Array(pool.take(4 * n), 0, n);
    this.cigarOffsets = new Int32Array(pool.take(4 * (n + 1)), 0, n + 1);
    this.cigarOffsets[0] = 0;
    const ops = Math.max(z.cigarOps, MIN_SIZES.cigarOps);
    this.cigarOps = new Uint32Array(pool.take(4 * ops), 0, ops);
    this.name = new Bin(pool, Math.max(z.name, MIN_SIZES.name), n);
    this.seq = new Bin(pool, Math.max(z.seq, MIN_SIZES.seq), n);
    this.qual = new Bin(pool, Math.max(z.qual, MIN_SIZES.qual), n);
    this.aux = new Bin(pool, Math.max(z.aux, MIN_SIZES.aux), n);
  }

  /** This chunk's sizes, at least those of `other` (for the next chunk's constructor). */
  sizes(other?: ColumnSizes): ColumnSizes {
    const o = other ?? MIN_SIZES;
    return {
      records: Math.max(this.length, o.records), cigarOps: Math.max(this.nOps, o.cigarOps), name: Math.max(this.name.length, o.name),
      seq: Math.max(this.seq.length, o.seq), qual: Math.max(this.qual.length, o.qual), aux: Math.max(this.aux.length, o.aux),
    };
  }

  private growRecords(): void {
    const n = this.cap * 2;
    this.flag = grown(this.flag, n);
    this.pos = grown(this.pos, n);
    this.span = grown(this.span, n);
    this.mapq = grown(this.mapq, n);
    this.nextRefId = grown(this.nextRefId, n);
    this.nextPos = grown(this.nextPos, n);
    this.tlen = grown(this.tlen, n);
    this.cigarOffsets = grown(this.cigarOffsets, n + 1);
    for (const c of [this.name, this.seq, this.qual, this.aux]) c.offsets = grown(c.offsets, n + 1);
    this.cap = n;
  }

  private closeGroup(): void {
    if (this.gRecords === 0) return;
    this.groups.push({ records: this.gRecords, span: this.gMin === Infinity ? [0, 0] : [this.gMin, this.gMaxEnd] });
    this.gRecords = 0;
    this.gBytes = 0;
    this.gMin = Infinity;
    this.gMaxEnd = -Infinity;
  }

  /** Appends `rec`; `aux` replaces its aux bytes (tags dropped), else they are taken from the record. */
  add(rec: Record, dropName: boolean, qualMap: Uint8Array | undefined, aux?: Uint8Array): void {
    const b = rec.bytes;
    if (this.length === this.cap) this.growRecords();
    const r = this.length++;
    this.rawBytes += b.length;
    const nl = b[8]!, nCigar = b[12]! | (b[13]! << 8);
    const flag = b[14]! | (b[15]! << 8);
    const pos = b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24);
    const lSeq = (b[16]! | (b[17]! << 8) | (b[18]! << 16) | (b[19]! << 24)) >>> 0;
    const co = 32 + nl, so = co + 4 * nCigar, qo = so + ((lSeq + 1) >>> 1), ao = qo + lSeq;
    if (!dropName) this.name.copy(b, 32, co - 1);
    this.name.offsets[r + 1] = this.name.length;
    this.flag[r] = flag;
    this.pos[r] = pos;
    this.mapq[r] = b[9]!;
    // CIGAR ops, and the reference span they cover (M D N = X).
    if (this.nOps + nCigar > this.cigarOps.length) this.cigarOps = grown(this.cigarOps, Math.max(this.cigarOps.length * 2, this.nOps + nCigar));
    const ops = this.cigarOps;
    let w = this.nOps;
    for (let o = co; o < so; o += 4) ops[w++] = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
    this.nOps = w;
    this.cigarOffsets[r + 1] = w;
    const span = referenceLength(b, co, nCigar);
    this.span[r] = span;
    const refId = b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
    const nextRefId = b[20]! | (b[21]! << 8) | (b[22]! << 16) | (b[23]! << 24);
    const nextPos = b[24]! | (b[25]! << 8) | (b[26]! << 16) | (b[27]! << 24);
    const tlen = b[28]! | (b[29]! << 8) | (b[30]! << 16) | (b[31]! << 24);
    this.nextRefId[r] = nextRefId;
    relativeMate(refId, pos, nextRefId, nextPos, tlen, this.mate);
    this.nextPos[r] = this.mate[0]!;
    this.tlen[r] = this.mate[1]!;
    // Bases as letters: two per packed byte in one 16-bit store when the column is at an even offset.
    const seq = this.seq;
    seq.room(lSeq);
    let at = seq.length;
    const half = lSeq >>> 1;
    if ((at & 1) === 0 && LITTLE_ENDIAN) {
      const u = seq.u16;
      for (let i = 0, h = at >>> 1; i < half; i++) u[h + i] = SEQ_PAIRS[b[so + i]!]!;
      at += 2 * half;
    } else {
      const s = seq.data;
      for (let i = 0; i < half; i++) {
        const v = b[so + i]!;
        s[at++] = SEQ_LETTERS[v >> 4]!;
        s[at++] = SEQ_LETTERS[v & 15]!;
      }
    }
    if (lSeq & 1) seq.data[at++] = SEQ_LETTERS[b[so + half]! >> 4]!;
    seq.length = at;
    seq.offsets[r + 1] = at;
    const qual = this.qual;
    if (qualMap && b[qo] !== 0xff) {
      qual.room(lSeq);
      const q = qual.data;
      let w = qual.length;
      for (let i = 0; i < lSeq; i++) q[w++] = qualMap[b[qo + i]!]!;
      qual.length = w;
    } else qual.copy(b, qo, qo + lSeq);
    qual.offsets[r + 1] = qual.length;
    if (aux) this.aux.copy(aux, 0, aux.length);
    else this.aux.copy(b, ao, b.length);
    this.aux.offsets[r + 1] = this.aux.length;
    if (pos >= 0) {
      const end = pos + (flag & FLAG_UNMAPPED || span === 0 ? 1 : span);
      if (pos < this.minPos) this.minPos = pos;
      if (pos > this.maxPos) this.maxPos = pos;
      if (end > this.maxEnd) this.maxEnd = end;
      if (pos < this.gMin) this.gMin = pos;
      if (end > this.gMaxEnd) this.gMaxEnd = end;
    }
    this.gRecords++;
    this.gBytes += b.length;
    if ((this.gRecords & 7) === 0 && (this.gRecords >= this.target.records || this.gBytes >= this.target.bytes)) this.closeGroup();
  }

  finish(): ColumnBatch {
    this.closeGroup();
    const length = this.length;
    const num = (kind: NumericColumn['kind'], values: Int32Array | Uint32Array | Uint16Array | Uint8Array): NumericColumn => ({ kind, length, values: values.subarray(0, length) });
    const cigar: ListColumn = {
      kind: 'list', length, offsets: this.cigarOffsets.subarray(0, length + 1),
      child: { kind: 'uint32', length: this.nOps, values: this.cigarOps.subarray(0, this.nOps) },
    };
    return {
      schema: pafSchema,
      length,
      columns: {
        name: this.name.column('string', length), flag: num('uint16', this.flag), pos: num('int32', this.pos), span: num('uint32', this.span),
        mapq: num('uint8', this.mapq), cigar, nextRefId: num('int32', this.nextRefId), nextPos: num('int32', this.nextPos),
        tlen: num('int32', this.tlen), seq: this.seq.column('bytes', length), qual: this.qual.column('bytes', length), aux: this.aux.column('bytes', length),
      },
    };
  }
}

const NT16 = new Uint8Array(256).fill(15);
SEQ_LETTERS.forEach((c, i) => (NT16[c] = i));

/** Record i of a fully decoded batch as BAM record bytes, for SAM/BAM output. */
export class RecordAssembler {
  private readonly out = new ByteWriter();
  private seq = new Uint8Array(1024);
  private qual = new Uint8Array(0);
  /** `qualText`: the batch's qualities are SAM text (value + 33, sam-decode.ts), turned back into values here. */
  constructor(private readonly batch: ColumnBatch, private readonly refId: number, private readonly qualText = false) {}

  private quals(q: Uint8Array): Uint8Array {
    if (!this.qualText) return q;
    if (this.qual.length < q.length) this.qual = new Uint8Array(q.length * 2);
    const out = this.qual.subarray(0, q.length);
    for (let k = 0; k < q.length; k++) out[k] = (q[k]! - 33) & 0xff;
    return out;
  }

  record(i: number): Record {
    const c = this.batch.columns;
    const name = c.name as BinaryColumn, seqC = c.seq as BinaryColumn, qualC = c.qual as BinaryColumn, auxC = c.aux as BinaryColumn;
    const cig = c.cigar as ListColumn;
    const s0 = seqC.offsets[i]!, s1 = seqC.offsets[i + 1]!;
    if (this.seq.length < s1 - s0) this.seq = new Uint8Array((s1 - s0) * 2);
    const seq = this.seq.subarray(0, s1 - s0);
    for (let k = 0; k < seq.length; k++) seq[k] = NT16[seqC.data[s0 + k]!]!;
    const nameText = Buffer.from(name.data.buffer, name.data.byteOffset + name.offsets[i]!, name.offsets[i + 1]! - name.offsets[i]!).toString('latin1');
    const ops = (cig.child as NumericColumn).values.subarray(cig.offsets[i]!, cig.offsets[i + 1]!) as Uint32Array;
    const bytes = encodeRecord({
      name: nameText || '*',
      flag: (c.flag as NumericColumn).values[i] as number,
      refId: this.refId,
      pos: (c.pos as NumericColumn).values[i] as number,
      mapq: (c.mapq as NumericColumn).values[i] as number,
      cigar: ops,
      nextRefId: (c.nextRefId as NumericColumn).values[i] as number,
      nextPos: (c.nextPos as NumericColumn).values[i] as number,
      tlen: (c.tlen as NumericColumn).values[i] as number,
      seq,
      qual: this.quals(qualC.data.subarray(qualC.offsets[i]!, qualC.offsets[i + 1]!)),
      aux: auxC.data.subarray(auxC.offsets[i]!, auxC.offsets[i + 1]!),
    }, this.out);
    return new Record(bytes);
  }
}
