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
import { CorruptDataError } from '@genolake/core';
import { auxFieldLength, formatAux } from '../aux.js';
import { CIGAR_OPS } from '../cigar.js';
import { formatRecord } from '../sam/writer.js';
import { formatFloat } from '../float.js';
import { RecordAssembler } from './columns.js';
import { qualIsText } from './sam-decode.js';

const TAB = 9, NL = 10, STAR = 42, COLON = 58;
const OPS = Uint8Array.from(CIGAR_OPS, (c) => c.charCodeAt(0));
const SOFT_CLIP = 4;
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
/**
 * Value bytes of each aux type the fast path formats; 0 (B arrays, unknown types) sends a
 * field to the general path. Z and H count 1, their shortest value: the fast path scans for
 * the NUL itself.
 */
const WIDTH = new Uint8Array(256);
for (const [t, w] of [['A', 1], ['c', 1], ['C', 1], ['s', 2], ['S', 2], ['i', 4], ['I', 4], ['f', 4], ['d', 8], ['Z', 1], ['H', 1]] as const) WIDTH[t.charCodeAt(0)] = w;
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

/** Decimal digits of v (0 < v < 2^31), by comparisons. */
function digits(v: number): number {
  return v < 100000 ? (v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10000 ? 4 : 5) : v < 10000000 ? (v < 1000000 ? 6 : 7) : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

/** Spans at least this long are copied with TypedArray.set, shorter ones byte by byte. */
const SET_MIN = 24;

/**
 * `f` values as text, by their float32 bits, direct-mapped: minimap2's `de:f:` repeats a few
 * thousand values, and %g through strings costs ~0.3 µs a value.
 */
const FLOAT_SLOTS = 4096;
const floatBits = new Int32Array(FLOAT_SLOTS).fill(0x7fc00001); // a NaN payload nothing writes
const floatText: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(FLOAT_SLOTS);

/** The column arrays of the batch being formatted, looked up once per batch, not per record. */
interface Bound {
  batch: ColumnBatch;
  ops: Uint32Array;
  cigarAt: Int32Array | Uint32Array;
  seq: BinaryColumn;
  qual: BinaryColumn;
  aux: BinaryColumn;
  name: BinaryColumn;
  flag: NumericColumn['values'];
  pos: NumericColumn['values'];
  mapq: NumericColumn['values'];
  nextRefId: NumericColumn['values'];
  nextPos: NumericColumn['values'];
  tlen: NumericColumn['values'];
  /** The qual column holds SAM text already (sam-decode.ts), and this marks a missing quality. */
  qualText: boolean;
  missingQual: number;
}

/** New text buffers come from Buffer.allocUnsafe: nothing needs them zeroed, and `take` hands the filled one out whole. */
const newBuffer = (n: number): Uint8Array => Buffer.allocUnsafe(n);

/** The first buffer's size, allocated on the first record (a query whose records all go to the worker pool allocates none). */
const FIRST = 1 << 20;

/** Bytes staged at most (`stage`): a record group of short reads, not megabases of long ones. */
const STAGE_BYTES = 4 << 20;

/**
 * The names, bases and quality text of the rows about to be printed, copied once to the end of
 * the text buffer (`stage`), so each record's fields are copied within the buffer
 * (`copyWithin`: 18 against 48 ns for 150 bases through `set(subarray)`, and no view object
 * per field, three a record). Worth it only in a buffer that is reused (a worker's shared slot,
 * or the calling thread's buffer for a sink that is done with chunks): staged into a new
 * buffer, the bytes land in untouched pages and it cost more than it saved.
 */
interface Staged {
  batch: ColumnBatch;
  /** Rows first..last (inclusive) are staged. */
  first: number;
  last: number;
  /** Where byte 0 of each column's data would be in the buffer. */
  name: number;
  seq: number;
  /** NaN when the qual column holds values, not text (not staged). */
  qual: number;
}

export class SamText {
  private buf: Uint8Array = newBuffer(0); // one kind of array (Buffer) in this field, or its accesses go polymorphic
  /** Bytes of text held. */
  length = 0;
  /** Text fills the buffer up to here; staged bytes lie after it. */
  private limit = 0;
  private staged: Staged | undefined;
  private readonly refNames: Uint8Array[];
  private asmBatch: ColumnBatch | undefined;
  private asm: RecordAssembler | undefined;
  private bound: Bound | undefined;

  /** `names`: the header's reference names, by reference id. */
  constructor(private readonly names: readonly string[]) {
    this.refNames = names.map(latin1);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.limit) return;
    this.grow(Math.max(this.buf.length * 2, this.length + n + (this.buf.length - this.limit), FIRST));
  }

  /** A buffer of `size` bytes in place of this one: the text copied to its start, staged bytes to its end. */
  private grow(size: number): void {
    const stagedBytes = this.buf.length - this.limit;
    const next = newBuffer(size);
    next.set(this.buf.subarray(0, this.length));
    const limit = next.length - stagedBytes;
    if (stagedBytes) {
      next.set(this.buf.subarray(this.limit), limit);
      const st = this.staged!, moved = limit - this.limit;
      st.name += moved;
      st.seq += moved;
      st.qual += moved;
    }
    this.buf = next;
    this.limit = limit;
  }

  /** A new buffer to write in, with nothing staged. */
  private use(buf: Uint8Array): void {
    this.buf = buf;
    this.unstage();
  }

  private unstage(): void {
    this.limit = this.buf.length;
    this.staged = undefined;
  }

  /**
   * Copies the names, bases and (text) qualities of rows first..last of `batch` to the end of
   * the buffer, for `add` of those rows (other rows are copied from the columns); nothing when
   * they are over STAGE_BYTES. Staged bytes last until the next `stage`, `take` or `writeInto`.
   */
  stage(batch: ColumnBatch, first: number, last: number): void {
    const c = this.bound?.batch === batch ? this.bound : this.bind(batch);
    this.unstage();
    if (!(first >= 0 && last >= first && last < batch.length)) return;
    const spans: [BinaryColumn, number, number][] = [[c.name, 0, 0], [c.seq, 0, 0]];
    if (c.qualText) spans.push([c.qual, 0, 0]);
    let bytes = 0;
    for (const sp of spans) {
      sp[1] = sp[0].offsets[first]!;
      sp[2] = sp[0].offsets[last + 1]!;
      bytes += sp[2] - sp[1];
    }
    if (bytes > STAGE_BYTES) return;
    // Room for the staged bytes and about one and a half times as much text.
    if (this.length + bytes + (bytes + (bytes >>> 1)) > this.buf.length) this.grow(Math.max(this.buf.length * 2, this.length + 3 * bytes));
    let at = this.buf.length - bytes;
    this.limit = at;
    const shift: number[] = [];
    for (const [col, from, to] of spans) {
      this.buf.set(col.data.subarray(from, to), at);
      shift.push(at - from);
      at += to - from;
    }
    this.staged = { batch, first, last, name: shift[0]!, seq: shift[1]!, qual: shift[2] ?? NaN };
  }

  /** Bytes from..to of a staged column whose byte 0 would be at `shift`. */
  private copyStaged(shift: number, from: number, to: number): void {
    this.buf.copyWithin(this.length, shift + from, shift + to);
    this.length += to - from;
  }

  /** Any integer of int32 or uint32 range. */
  private int(v: number): void {
    const b = this.buf;
    let at = this.length;
    if (v < 0) {
      b[at++] = 45;
      v = -v;
    }
    if (v < 10) b[at++] = 48 + v;
    else if (v <= 0x7fffffff) {
      const n = digits(v);
      for (let k = at + n - 1; k >= at; k--) {
        const q = (v / 10) | 0;
        b[k] = 48 + v - q * 10;
        v = q;
      }
      at += n;
    } else {
      const t = String(v);
      for (let k = 0; k < t.length; k++) b[at++] = t.charCodeAt(k);
    }
    this.length = at;
  }

  /**
   * Text from now on goes to the start of `buf` (a slot the caller reads when done: see
   * sam-workers.ts), growing into a buffer of its own if it outgrows it; undefined: a buffer
   * of its own from the start. Text held so far is dropped.
   */
  writeInto(buf: Uint8Array | undefined): void {
    this.use(buf ?? newBuffer(0));
    this.length = 0;
  }

  /** The text so far, in this buffer (written over after `clear`). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** Drops the text held; writing starts again at the start of the same buffer (staged bytes stay). */
  clear(): void {
    this.length = 0;
  }

  /** Whether the text so far is all in `buf` (given to `writeInto`). */
  isIn(buf: Uint8Array): boolean {
    return this.buf === buf;
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
    if (to - from >= SET_MIN) {
      b.set(src.subarray(from, to), at);
      this.length = at + to - from;
      return;
    }
    for (let k = from; k < to; k++) b[at++] = src[k]!;
    this.length = at;
  }

  /** Through the BAM record path: for the rare shapes the fast path leaves out. */
  private slow(batch: ColumnBatch, refId: number, i: number): void {
    if (this.asmBatch !== batch) {
      this.asmBatch = batch;
      this.asm = new RecordAssembler(batch, refId, qualIsText(batch));
    }
    this.text(formatRecord(this.asm!.record(i), this.names));
    this.buf[this.length++] = NL;
  }

  private bind(batch: ColumnBatch): Bound {
    const c = batch.columns;
    const cig = c.cigar as ListColumn;
    const num = (f: string): NumericColumn['values'] => (c[f] as NumericColumn).values;
    const qualText = qualIsText(batch);
    return this.bound = {
      qualText, missingQual: qualText ? 0x20 : 0xff,
      batch, ops: (cig.child as NumericColumn).values as Uint32Array, cigarAt: cig.offsets,
      seq: c.seq as BinaryColumn, qual: c.qual as BinaryColumn, aux: c.aux as BinaryColumn, name: c.name as BinaryColumn,
      flag: num('flag'), pos: num('pos'), mapq: num('mapq'), nextRefId: num('nextRefId'), nextPos: num('nextPos'), tlen: num('tlen'),
    };
  }

  /** Appends record `i` of `batch` (every paf field decoded; reference `refId`) as one SAM line and its newline. */
  add(batch: ColumnBatch, refId: number, i: number): void {
    const c = this.bound?.batch === batch ? this.bound : this.bind(batch);
    const { ops, seq, qual, aux, name } = c;
    const o0 = c.cigarAt[i]!, o1 = c.cigarAt[i + 1]!;
    const s0 = seq.offsets[i]!, s1 = seq.offsets[i + 1]!;
    // A first op soft-clipping the whole read may be the placeholder of a CIGAR kept in CG.
    if (o1 > o0 && (ops[o0]! & 15) === SOFT_CLIP && ops[o0]! >>> 4 === s1 - s0) return this.slow(batch, refId, i);
    const n0 = name.offsets[i]!, n1 = name.offsets[i + 1]!;
    const a0 = aux.offsets[i]!, a1 = aux.offsets[i + 1]!;
    const nextRefId = c.nextRefId[i] as number;
    const rname = refId < 0 ? undefined : this.refNames[refId]!;
    const rnext = nextRefId < 0 || nextRefId === refId ? undefined : this.refNames[nextRefId]!;
    this.ensure((n1 - n0) + 140 + (rname?.length ?? 0) + (rnext?.length ?? 0) + (o1 - o0) * 11 + 2 * (s1 - s0) + 4 * (a1 - a0));
    const b = this.buf;
    const st = this.staged !== undefined && this.staged.batch === batch && i >= this.staged.first && i <= this.staged.last ? this.staged : undefined;
    if (n1 > n0) {
      if (st) this.copyStaged(st.name, n0, n1);
      else this.copy(name.data, n0, n1);
    } else b[this.length++] = STAR;
    b[this.length++] = TAB;
    this.int(c.flag[i] as number);
    b[this.length++] = TAB;
    if (rname) this.copy(rname, 0, rname.length);
    else b[this.length++] = STAR;
    b[this.length++] = TAB;
    this.int((c.pos[i] as number) + 1);
    b[this.length++] = TAB;
    this.int(c.mapq[i] as number);
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
    this.int((c.nextPos[i] as number) + 1);
    b[this.length++] = TAB;
    this.int(c.tlen[i] as number);
    b[this.length++] = TAB;
    if (s1 > s0) {
      if (st) this.copyStaged(st.seq, s0, s1);
      else this.copy(seq.data, s0, s1);
    } else b[this.length++] = STAR;
    b[this.length++] = TAB;
    const q0 = qual.offsets[i]!, q1 = qual.offsets[i + 1]!;
    if (q1 === q0 || qual.data[q0] === c.missingQual) b[this.length++] = STAR;
    else if (c.qualText) {
      if (st) this.copyStaged(st.qual, q0, q1);
      else this.copy(qual.data, q0, q1);
    }
    else {
      const qd = qual.data;
      let at = this.length;
      for (let k = q0; k < q1; k++) b[at++] = qd[k]! + 33;
      this.length = at;
    }
    if (a1 > a0) this.aux(aux.data, a0, a1);
    this.buf[this.length++] = NL; // aux text may have grown the buffer
  }

  /**
   * Aux fields: integers, characters, strings and floats here; arrays through formatAux. A
   * field that does not fit the record goes to auxFieldLength, which names what is wrong.
   */
  private aux(d: Uint8Array, from: number, to: number): void {
    for (let at = from; at < to;) {
      const type = d[at + 2]!;
      const w = WIDTH[type]!;
      if (w === 0 || at + 3 + w > to) {
        const len = auxFieldLength(d, at, 'record');
        if (type !== 0x42) throw new CorruptDataError(`record: aux field at byte ${at} runs past the record's ${to - from} aux bytes`);
        this.buf[this.length++] = TAB;
        this.text(formatAux(d.subarray(at, at + len)));
        at += len;
        continue;
      }
      const b = this.buf;
      let o = this.length;
      b[o++] = TAB;
      b[o++] = d[at]!;
      b[o++] = d[at + 1]!;
      b[o++] = COLON;
      const v = at + 3;
      if (type === 0x5a || type === 0x48) { // Z, H: text up to the NUL
        b[o++] = type;
        b[o++] = COLON;
        let k = v;
        while (k < to && d[k] !== 0) b[o++] = d[k++]!;
        if (k === to) throw new CorruptDataError(`record: unterminated ${String.fromCharCode(type)} aux field at byte ${at}`);
        this.length = o;
        at = k + 1;
        continue;
      }
      if (type === 0x41) { // A: one character
        b[o++] = type;
        b[o++] = COLON;
        b[o++] = d[v]!;
        this.length = o;
        at = v + 1;
        continue;
      }
      if (type === 0x66 || type === 0x64) { // f, d: C's %g, as samtools prints them
        b[o++] = type;
        b[o++] = COLON;
        this.length = o;
        if (type === 0x66) this.float32(d, v);
        else this.text(formatFloat(readF64(d, v)));
        at = v + w;
        continue;
      }
      b[o++] = 105; // 'i' for every integer width
      b[o++] = COLON;
      this.length = o;
      this.int(
        type === 0x63 ? (d[v]! << 24) >> 24
          : type === 0x43 ? d[v]!
            : type === 0x73 ? ((d[v]! | (d[v + 1]! << 8)) << 16) >> 16
              : type === 0x53 ? d[v]! | (d[v + 1]! << 8)
                : type === 0x69 ? d[v]! | (d[v + 1]! << 8) | (d[v + 2]! << 16) | (d[v + 3]! << 24)
                  : (d[v]! | (d[v + 1]! << 8) | (d[v + 2]! << 16) | (d[v + 3]! << 24)) >>> 0,
      );
      at = v + w;
    }
  }

  /** A float32 value's %g text, through the cache. */
  private float32(d: Uint8Array, v: number): void {
    const bits = d[v]! | (d[v + 1]! << 8) | (d[v + 2]! << 16) | (d[v + 3]! << 24);
    const slot = (bits ^ (bits >>> 13)) & (FLOAT_SLOTS - 1);
    let t = floatText[slot];
    if (floatBits[slot] !== bits || !t) {
      const x = readF32(d, v);
      t = latin1(x === 0 && !Object.is(x, -0) ? '0' : formatFloat(x));
      floatBits[slot] = bits;
      floatText[slot] = t;
    }
    const b = this.buf;
    let o = this.length;
    for (let k = 0; k < t.length; k++) b[o++] = t[k]!;
    this.length = o;
  }

  /**
   * The text so far (the buffer itself, safe to hand to an async writer); writing goes on in a
   * new buffer an eighth larger than this text (not as large as this buffer, which growth may
   * have doubled: the unused half still counted as external memory and brought on GC).
   */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.length);
    this.use(newBuffer(Math.max(this.length + (this.length >>> 3), 1 << 16))); // staged bytes go out with the old buffer
    this.length = 0;
    return out;
  }
}
