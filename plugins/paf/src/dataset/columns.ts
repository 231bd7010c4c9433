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

class Nums<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array> {
  n = 0;
  constructor(public a: T) {}
  push(v: number): void {
    if (this.n === this.a.length) {
      const next = new (this.a.constructor as new (n: number) => T)(this.a.length * 2);
      next.set(this.a);
      this.a = next;
    }
    this.a[this.n++] = v;
  }
  /** The values, as a view (the chunk's buffers are handed over, not copied). */
  take(): T { return this.a.subarray(0, this.n) as T; }
}

/** A byte column: values written in place into one growing buffer, offsets beside them. */
class Bin {
  readonly offsets = new Nums(new Int32Array(1024));
  data = new Uint8Array(1 << 16);
  length = 0;
  constructor() { this.offsets.push(0); }
  /** The buffer, with room for `n` more bytes at `length`. */
  room(n: number): Uint8Array {
    if (this.length + n > this.data.length) {
      const next = new Uint8Array(Math.max(this.data.length * 2, this.length + n));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    return this.data;
  }
  /** Ends the value written since the last call at `length`. */
  close(length: number): void {
    this.length = length;
    this.offsets.push(length);
  }
  push(b: Uint8Array, from: number, to: number): void {
    const d = this.room(to - from);
    let at = this.length;
    for (let k = from; k < to; k++) d[at++] = b[k]!;
    this.close(at);
  }
  column(kind: 'string' | 'bytes', length: number): BinaryColumn {
    return { kind, length, offsets: this.offsets.take(), data: this.data.subarray(0, this.length) };
  }
}

const SEQ_LETTERS = new Uint8Array([...'=ACMGRSVTWYHKDBN'].map((c) => c.charCodeAt(0)));

/** Where record groups (pages) are cut: at most `records` records (a multiple of 8) or about `bytes` raw BAM bytes. */
export interface GroupTarget {
  records: number;
  bytes: number;
}

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
  private readonly name = new Bin();
  private readonly flag = new Nums(new Uint16Array(1024));
  private readonly pos = new Nums(new Int32Array(1024));
  private readonly span = new Nums(new Uint32Array(1024));
  private readonly mapq = new Nums(new Uint8Array(1024));
  private readonly cigarOffsets = new Nums(new Int32Array(1024));
  private readonly cigarOps = new Nums(new Uint32Array(4096));
  private readonly nextRefId = new Nums(new Int32Array(1024));
  private readonly nextPos = new Nums(new Int32Array(1024));
  private readonly tlen = new Nums(new Int32Array(1024));
  private readonly seq = new Bin();
  private readonly qual = new Bin();
  private readonly aux = new Bin();
  private readonly mate = new Int32Array(2);

  constructor(private readonly target: GroupTarget = { records: Infinity, bytes: Infinity }) { this.cigarOffsets.push(0); }

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
    this.length++;
    this.rawBytes += b.length;
    const nl = b[8]!, nCigar = b[12]! | (b[13]! << 8);
    const flag = b[14]! | (b[15]! << 8);
    const pos = b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24);
    const lSeq = (b[16]! | (b[17]! << 8) | (b[18]! << 16) | (b[19]! << 24)) >>> 0;
    const co = 32 + nl, so = co + 4 * nCigar, qo = so + ((lSeq + 1) >>> 1), ao = qo + lSeq;
    if (dropName) this.name.close(this.name.length);
    else this.name.push(b, 32, co - 1);
    this.flag.push(flag);
    this.pos.push(pos);
    const span = referenceLength(b, co, nCigar);
    this.span.push(span);
    this.mapq.push(b[9]!);
    for (let o = co; o < so; o += 4) this.cigarOps.push((b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0);
    this.cigarOffsets.push(this.cigarOps.n);
    const nextRefId = b[20]! | (b[21]! << 8) | (b[22]! << 16) | (b[23]! << 24);
    this.nextRefId.push(nextRefId);
    const refId = b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
    const nextPos = b[24]! | (b[25]! << 8) | (b[26]! << 16) | (b[27]! << 24);
    const tlen = b[28]! | (b[29]! << 8) | (b[30]! << 16) | (b[31]! << 24);
    relativeMate(refId, pos, nextRefId, nextPos, tlen, this.mate);
    this.nextPos.push(this.mate[0]!);
    this.tlen.push(this.mate[1]!);
    // Bases as letters and qualities, written straight into their columns.
    const s = this.seq.room(lSeq);
    let at = this.seq.length;
    for (let i = 0; i + 1 < lSeq; i += 2) {
      const v = b[so + (i >> 1)]!;
      s[at++] = SEQ_LETTERS[v >> 4]!;
      s[at++] = SEQ_LETTERS[v & 15]!;
    }
    if (lSeq & 1) s[at++] = SEQ_LETTERS[b[so + (lSeq >> 1)]! >> 4]!;
    this.seq.close(at);
    if (qualMap && b[qo] !== 0xff) {
      const q = this.qual.room(lSeq);
      let w = this.qual.length;
      for (let i = 0; i < lSeq; i++) q[w++] = qualMap[b[qo + i]!]!;
      this.qual.close(w);
    } else this.qual.push(b, qo, qo + lSeq);
    if (aux) this.aux.push(aux, 0, aux.length);
    else this.aux.push(b, ao, b.length);
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
    const num = (kind: NumericColumn['kind'], n: Nums<Int32Array | Uint32Array | Uint16Array | Uint8Array>): NumericColumn => ({ kind, length, values: n.take() });
    const cigar: ListColumn = {
      kind: 'list', length, offsets: this.cigarOffsets.take(),
      child: { kind: 'uint32', length: this.cigarOps.n, values: this.cigarOps.take() },
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
  constructor(private readonly batch: ColumnBatch, private readonly refId: number) {}

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
      qual: qualC.data.subarray(qualC.offsets[i]!, qualC.offsets[i + 1]!),
      aux: auxC.data.subarray(auxC.offsets[i]!, auxC.offsets[i + 1]!),
    }, this.out);
    return new Record(bytes);
  }
}
