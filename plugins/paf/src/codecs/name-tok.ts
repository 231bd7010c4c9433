/**
 * `nametok`: read names split into tokens, each token coded against the same token of the
 * previous name (the field-wise idea of CRAM 3.1's name tokeniser; this code and its stream
 * layout are our own). On the bench data (docs/formats/paf.md): 0.54x the bytes of `zstd:5`
 * on the names and 0.85x its encoding CPU once compiled (more inside bam-to-paf: see there).
 *
 * The codec gets a page of the string column: the names concatenated, without their lengths
 * (those are in `name.@len`). So it finds the boundaries itself: it picks a "marker", a prefix
 * of the page that every name starts with (`A23646:` of `A23646:199:H1K43DSXY3:1:1101:29382:18142`),
 * among the first few token boundaries, by how well it splits a sample, and cuts the page
 * before every occurrence of it. The cut only affects the ratio, never the bytes: decoding
 * concatenates the records it rebuilds, whatever they are, so any input round-trips. Pages
 * that do not tokenise well (names sharing nothing with their neighbours, tiny pages) are
 * stored with zstd or as they are (pages under 1 KB never with zstd).
 *
 * Tokens: one byte that is not a letter or digit, a run of letters (bytes >= 0x80 count as
 * letters), or a run of up to 9 digits, kept as a number and its width (so "007" comes back
 * as "007"; longer runs are several numbers). Per record:
 * - a copy of an earlier record: its index among the records still "pending" (not copied
 *   yet: both mates of a pair carry the name, the second usually a few reads later), or its
 *   distance;
 * - else the count k of leading tokens it shares with the previous tokenised record, then one
 *   op per further token: MATCH (the previous record's token at this position), DELTA (a
 *   number 1-255 above it), NUM / NUMW (a new number, natural / zero-padded width), STR
 *   (letters), CHR (one other byte), END. The (k, ops) "shape" repeats from name to name, so
 *   it is spelled out once per page and then named by one symbol.
 *
 * Stream: byte mode, 4 bytes CRC-32C (little-endian) of the mode byte and all bytes after the
 * CRC, then by mode. Mode 0: the page as it is. Mode 2: a zstd frame of the page. Mode 1:
 * varint page bytes, varint records, varint blocks; per block byte 0 (stored) or 1 (zstd),
 * varint streams, per stream byte id and varint bytes, and for zstd the varint stored bytes;
 * then the blocks, each its streams concatenated. Streams:
 * - R (0) one symbol per record: 0 literal (the page's first record: length in L, bytes in S),
 *   1 new shape (defined in H, numbered in order), 2 one-off shape (in H, not numbered), 3-130
 *   shape 0-127, 131-250 pending index 0-119, 251 pending index 120+ (minus 120 in F),
 *   252 copy at a distance (in F);
 * - F varints; H shapes (varint k, op bytes up to END); W widths of padded numbers; L varint
 *   string lengths; S string bytes; C other bytes; D0-D31 (16-47) deltas by token position;
 * - N0-N31 (48-79) new numbers by token position: varint count, varint minimum, byte bits,
 *   then each number minus the minimum in that many bits, LSB first.
 * Positions past 31 share 31. The encoder writes R in one block, the other byte streams in a
 * second (both zstd level 1 when smaller) and the numbers in a third, stored.
 */
import { CorruptDataError, crc32c, InvalidArgumentError, zstdCodec, type Codec } from '@genolake/core';

/** Page modes (first byte). */
const RAW = 0, TOKENS = 1, ZSTD = 2;

/** Byte classes of the tokeniser. */
const OTHER = 0, LETTER = 1, DIGIT = 2;
const CLASS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  CLASS[b] = b >= 0x30 && b <= 0x39 ? DIGIT : (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0x80 ? LETTER : OTHER;
}
/** Digit runs are numbers of at most 9 digits (below 2^30, small integers for V8). */
const MAX_DIGITS = 9;

/** Token ops. */
const MATCH = 0, DELTA = 1, NUM = 2, NUMW = 3, STR = 4, CHR = 5, END = 6;
/** Record symbols. */
const LIT = 0, NEWSHAPE = 1, ONEOFF = 2, SHAPE0 = 3, SHAPES = 128, PEND0 = SHAPE0 + SHAPES;
const PEND_FAR = 251, PEND_NEAR = PEND_FAR - PEND0, DUP_DIST = 252;
/** How far back the pending list is searched for a copied name. */
const WALK = 4096;
/** Shapes of up to 6 new tokens after up to 62 kept ones are kept: the key then fits 30 bits. */
const SHAPE_OPS = 7, SHAPE_K = 63;

/** Stream ids. */
const R = 0, F = 1, H = 2, W = 3, L = 4, S = 5, C = 6;
const POS = 32;
const D0 = 16, N0 = D0 + POS, NSTREAMS = N0 + POS;

/** zstd level of the token streams and of mode 2 (level 1 measured smaller than 3 and 5 on both). */
const LEVEL = { type: 'bytes' as const, param: '1' };
const FALLBACK = LEVEL;
/** Pages whose sample leaves this share of bytes unshared with the previous name skip tokens. */
const GIVE_UP = 0.9;
/** Pages below this many bytes are not given to zstd. */
const SMALL = 1024;
/** Marker choice: candidates (token ends within the first 24 bytes) and sample bytes. */
const MARKER_CANDIDATES = 4, MARKER_SAMPLE = 2048, MARKER_RECORD_COST = 3;

const EMPTY: Uint8Array = new Uint8Array(0);

function corrupt(why: string): never {
  throw new CorruptDataError(`codec nametok: ${why}`);
}

const POW10 = Int32Array.from({ length: 10 }, (_, i) => 10 ** i);

/** Digits of v < 10^9. One loop, not a chain of compares: every compare has type feedback after one call. */
function digitsOf(v: number): number {
  let w = 1;
  while (w < MAX_DIGITS && v >= POW10[w]!) w++;
  return w;
}

/** A growable byte stream. */
class Sink {
  b = new Uint8Array(256);
  n = 0;
  grow(need: number): void {
    const nb = new Uint8Array(Math.max(need, this.b.length * 2));
    nb.set(this.b.subarray(0, this.n));
    this.b = nb;
  }
  push(x: number): void {
    if (this.n === this.b.length) this.grow(this.n + 1);
    this.b[this.n++] = x;
  }
  varint(v: number): void {
    if (this.n + 5 > this.b.length) this.grow(this.n + 5);
    while (v >= 0x80) {
      this.b[this.n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.b[this.n++] = v;
  }
  copy(src: Uint8Array, from: number, to: number): void {
    if (this.n + to - from > this.b.length) this.grow(this.n + to - from);
    for (let i = from; i < to; i++) this.b[this.n++] = src[i]!;
  }
}

/** A read cursor; running off the end is a CorruptDataError. */
class Src {
  at = 0;
  constructor(public b: Uint8Array) {}
  byte(): number {
    if (this.at >= this.b.length) corrupt('stream ends early');
    return this.b[this.at++]!;
  }
  varint(): number {
    let v = 0, scale = 1;
    for (;;) {
      const x = this.byte();
      v += (x & 0x7f) * scale;
      if (x < 0x80) return v;
      scale *= 128;
      if (scale > 2 ** 35) corrupt('varint too long');
    }
  }
}

function pushVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

// Scratch and state reused between pages (codecs run synchronously, one call at a time per
// thread). The encoder is cut into small functions over one state object of fixed shape: V8
// compiles small functions early and cheaply, while one big loop function cost more to
// compile (twice: on-stack and then whole) than coding all the bench data's names.
/** Byte streams by id (record symbols go to E.sym, not sinks[R]). */
const sinks: Sink[] = Array.from({ length: N0 }, () => new Sink());
const E = {
  d: EMPTY as Uint8Array,
  dv: new DataView(new ArrayBuffer(8)) as DataView,
  total: 0,
  /** Marker length and first byte (also repeated in four bytes, for the word-wise scan). */
  m: 1, first: 0, firstX4: 0,
  /** Previous tokenised record: start, end, token count; tokens kept last time (a guess for this one). */
  ps: 0, pe: 0, tn: 0, kGuess: 0,
  /** Hash bits, newest pending record, shapes so far. */
  bits: 10, tail: -1, nShapes: 0,
  /** Tokens of the previous record: offset in it, length, number (-1: not a number). Shared with the decoder. */
  tO: new Int32Array(16), tL: new Int32Array(16), tV: new Int32Array(16),
  /** Record starts (and the end), hash heads and chains, the pending list (previous pending record) and flags. */
  starts: new Int32Array(65), heads: new Int32Array(1024), chain: new Int32Array(64), prev: new Int32Array(64), pend: new Uint8Array(64),
  /** Record symbols (stream R). */
  sym: new Uint8Array(64),
  /** New numbers of each token position and their counts; ops of one record. */
  nums: Array.from({ length: POS }, () => new Int32Array(16)), numN: new Int32Array(POS), ops: new Uint8Array(16),
};
/** Shape table: 512 slots of key (never 0) and id. */
const shapeKey = new Int32Array(512), shapeId = new Uint8Array(512);
const split = new Int32Array(MARKER_SAMPLE + 1);

function grownI32(a: Int32Array, cap: number) {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function grownU8(a: Uint8Array, cap: number) {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}

function growTokens(need: number): void {
  const cap = Math.max(need, E.tO.length * 2);
  E.tO = grownI32(E.tO, cap);
  E.tL = grownI32(E.tL, cap);
  E.tV = grownI32(E.tV, cap);
}

function growRecords(need: number): void {
  const cap = Math.max(need, E.chain.length * 2);
  E.starts = grownI32(E.starts, cap + 1);
  E.chain = grownI32(E.chain, cap);
  E.prev = grownI32(E.prev, cap);
  E.pend = grownU8(E.pend, cap);
  E.sym = grownU8(E.sym, cap);
}

function growNumbers(p: number): void {
  E.nums[p] = grownI32(E.nums[p]!, E.nums[p]!.length * 2);
}

/** End of the token starting at `at` (before `end`). */
function tokenEnd(d: Uint8Array, at: number, end: number): number {
  const c = CLASS[d[at]!]!;
  if (c === OTHER) return at + 1;
  let i = at + 1;
  const stop = c === DIGIT ? Math.min(end, at + MAX_DIGITS) : end;
  while (i < stop && CLASS[d[i]!] === c) i++;
  return i;
}

/** Tokenises d[s, e) into the token state (both sides do this for a literal record); returns the count. */
function tokenizeAll(d: Uint8Array, s: number, e: number): number {
  if (e - s >= E.tO.length) growTokens(e - s + 1);
  const tO = E.tO, tL = E.tL, tV = E.tV;
  let j = 0;
  for (let at = s; at < e; j++) {
    const te = tokenEnd(d, at, e);
    let v = -1;
    if (CLASS[d[at]!] === DIGIT) {
      v = 0;
      for (let x = at; x < te; x++) v = v * 10 + d[x]! - 48;
    }
    tO[j] = at - s;
    tL[j] = te - at;
    tV[j] = v;
    at = te;
  }
  return j;
}

/** Share of the sample's bytes that the chosen split leaves unshared with the previous record. */
let unshared = 0;

/**
 * Length of the marker, the page prefix taken to start every record: of the prefixes ending
 * at the first token boundaries, the one whose split of a sample leaves the fewest bytes
 * unshared with the previous record (plus a cost per record, against splitting too finely).
 */
function chooseMarker(d: Uint8Array): number {
  const cands: number[] = [];
  for (let at = 0; at < d.length && at < 24 && cands.length < MARKER_CANDIDATES;) cands.push((at = tokenEnd(d, at, d.length)));
  unshared = 0;
  if (cands.length === 1) return cands[0]!;
  const end = Math.min(d.length, MARKER_SAMPLE);
  const hits = firstByteHits(d, end);
  let best = cands[0]!, bestCost = Infinity, lastCount = -1;
  for (const m of cands) {
    const n = markerStarts(d, hits, m);
    // A longer candidate's starts are a subset of a shorter one's: the same count, the same split.
    if (n === lastCount) continue;
    lastCount = n;
    split[n] = end;
    const cost = splitCost(d, n);
    if (cost < bestCost) (bestCost = cost), (best = m);
  }
  unshared = bestCost / end;
  return best;
}

/** The marker of the last page that tokenised well (the next pages of a file usually share it). */
let lastMarker = EMPTY;

/** The last good page's marker when this page starts with it, else a fresh choice. */
function markerFor(d: Uint8Array): number {
  const m = lastMarker.length;
  if (m > 0 && m <= d.length) {
    let i = 0;
    while (i < m && d[i] === lastMarker[i]) i++;
    if (i === m) return m;
  }
  const c = chooseMarker(d);
  lastMarker = d.slice(0, c);
  return c;
}

/** Positions in [1, end) holding the page's first byte. */
function firstByteHits(d: Uint8Array, end: number): Int32Array {
  const hits = new Int32Array(end);
  let n = 0;
  const first = d[0]!;
  for (let p = 1; p < end; p++) if (d[p] === first) hits[n++] = p;
  return hits.subarray(0, n);
}

/** Of `hits`, those where the first m bytes of the page recur, into `split`; returns their count. */
function markerStarts(d: Uint8Array, hits: Int32Array, m: number): number {
  let n = 0;
  for (let h = 0; h < hits.length; h++) {
    const p = hits[h]!;
    if (p + m > d.length) break;
    let k = 1;
    while (k < m && d[p + k] === d[k]) k++;
    if (k === m) split[n++] = p;
  }
  return n;
}

/** Bytes of the records cut at split[0..n] not shared with their predecessor, plus a cost per record. */
function splitCost(d: Uint8Array, n: number): number {
  let cost = 0, ps = 0, pe = 0, s = 0;
  for (let i = 0; i <= n; i++) {
    const p = split[i]!;
    let l = 0;
    const lim = Math.min(p - s, pe - ps);
    while (l < lim && d[s + l] === d[ps + l]) l++;
    cost += p - s - l + MARKER_RECORD_COST;
    ps = s;
    pe = p;
    s = p;
  }
  return cost;
}

/** Codes the records of `d` into the sinks and value lists; returns the record count. */
function encodeTokens(d: Uint8Array, m: number): number {
  const total = d.length;
  E.d = d;
  E.dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  E.total = total;
  E.m = m;
  E.first = d[0]!;
  E.firstX4 = Math.imul(d[0]!, 0x01010101);
  E.ps = E.pe = E.tn = E.kGuess = E.nShapes = 0;
  E.numN.fill(0);
  E.tail = -1;
  for (const s of sinks) s.n = 0;
  // Chained hash of the names seen; the table size only sets how long the chains get.
  let bits = 10;
  while (1 << bits < total >>> 4 && bits < 20) bits++;
  E.bits = bits;
  if (E.heads.length < 1 << bits) E.heads = new Int32Array(1 << bits);
  E.heads.fill(-1, 0, 1 << bits);
  shapeKey.fill(0);
  let r = 0;
  for (let s = 0; s < total; r++) s = encodeRecord(s, r);
  return r;
}

/** Codes the record starting at `s` (the r-th); returns its end. */
function encodeRecord(s: number, r: number): number {
  const d = E.d, dv = E.dv, total = E.total, m = E.m;
  // Bytes shared with the previous tokenised record, bounded by its length (this one's end
  // is not known yet). Every record starts with the marker.
  let q = 0;
  if (E.tn > 0) {
    const ps = E.ps, lim = Math.min(E.pe - ps, total - s);
    q = m < lim ? m : lim;
    while (q + 8 <= lim && dv.getInt32(s + q, true) === dv.getInt32(ps + q, true) && dv.getInt32(s + q + 4, true) === dv.getInt32(ps + q + 4, true)) q += 8;
    if (q + 4 <= lim && dv.getInt32(s + q, true) === dv.getInt32(ps + q, true)) q += 4;
    while (q < lim && d[s + q] === d[ps + q]) q++;
  }
  // The record ends where the marker next occurs. The previous record has none inside it,
  // so none starts within the shared bytes except in their last m - 1.
  const e = markerAfter(s + (q > m ? q - m + 1 : 1));
  if (q > e - s) q = e - s;
  if (r + 1 >= E.chain.length) growRecords(r + 2);
  E.starts[r] = s;
  E.starts[r + 1] = e;
  const dup = findCopy(s, e, r);
  if (dup >= 0) codeCopy(r, dup);
  else {
    E.prev[r] = E.tail;
    E.pend[r] = 1;
    E.tail = r;
    if (E.tn === 0) literal(s, e, r);
    else codeTokens(s, e, q, r);
  }
  return e;
}

/** The first occurrence of the marker at or after `p` (the page's end when none). */
function markerAfter(p: number): number {
  const d = E.d, dv = E.dv, total = E.total, m = E.m, first = E.first, firstX4 = E.firstX4;
  for (const last = total - m; p <= last; p++) {
    // Four bytes at a time until one of them is the marker's first byte.
    while (p + 4 <= total) {
      const x = dv.getInt32(p, true) ^ firstX4;
      if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
      p += 4;
    }
    if (p > last) break;
    if (d[p] !== first) continue;
    let i = 1;
    while (i < m && d[p + i] === d[i]) i++;
    if (i === m) return p;
  }
  return total;
}

/** The newest earlier record equal to d[s, e), or -1; adds this one to the hash chains. */
function findCopy(s: number, e: number, r: number): number {
  const d = E.d, dv = E.dv, starts = E.starts, chain = E.chain, heads = E.heads, len = e - s;
  // Hash of the length and the last 8 bytes.
  let h = len;
  if (len >= 8) h = Math.imul(Math.imul(h ^ dv.getInt32(e - 8, true), 0x9e3779b1) ^ dv.getInt32(e - 4, true), 0x85ebca6b);
  else for (let i = s; i < e; i++) h = Math.imul(h ^ d[i]!, 0x9e3779b1);
  h = (h ^ (h >>> 15)) >>> (32 - E.bits);
  let dup = -1;
  for (let c = heads[h]!; c >= 0; c = chain[c]!) {
    const cs = starts[c]!;
    if (starts[c + 1]! - cs !== len) continue;
    let i = E.m < len ? E.m : len;
    while (i + 8 <= len && dv.getInt32(cs + i, true) === dv.getInt32(s + i, true) && dv.getInt32(cs + i + 4, true) === dv.getInt32(s + i + 4, true)) i += 8;
    if (i + 4 <= len && dv.getInt32(cs + i, true) === dv.getInt32(s + i, true)) i += 4;
    while (i < len && d[cs + i] === d[s + i]) i++;
    if (i === len) {
      dup = c;
      break;
    }
  }
  chain[r] = heads[h]!;
  heads[h] = r;
  return dup;
}

/** Record r copies record `dup`: its index among the records still pending, else its distance. */
function codeCopy(r: number, dup: number): void {
  const pend = E.pend, prev = E.prev, sym = E.sym;
  pend[r] = 0;
  if (pend[dup]) {
    // Counted back from the newest pending record.
    let idx = 0, x = E.tail, succ = -1;
    while (x !== dup && x >= 0 && idx < WALK) (succ = x), (x = prev[x]!), idx++;
    if (x === dup) {
      if (idx < PEND_NEAR) sym[r] = PEND0 + idx;
      else (sym[r] = PEND_FAR), sinks[F]!.varint(idx - PEND_NEAR);
      if (succ < 0) E.tail = prev[dup]!;
      else prev[succ] = prev[dup]!;
      pend[dup] = 0;
      return;
    }
  }
  sym[r] = DUP_DIST;
  sinks[F]!.varint(r - dup);
}

/** The first record of a page: its bytes, then its tokens for the next one. */
function literal(s: number, e: number, r: number): void {
  E.sym[r] = LIT;
  sinks[L]!.varint(e - s);
  sinks[S]!.copy(E.d, s, e);
  E.tn = tokenizeAll(E.d, s, e);
  E.ps = s;
  E.pe = e;
}

/** Codes d[s, e) as tokens against the previous tokenised record; q: bytes they share. */
function codeTokens(s: number, e: number, q: number, r: number): void {
  const d = E.d, len = e - s, tn = E.tn, ps = E.ps;
  if (len >= E.tO.length) growTokens(len + 1);
  if (len >= E.ops.length) E.ops = new Uint8Array(len * 2);
  const tO = E.tO, tL = E.tL, tV = E.tV, numN = E.numN, opb = E.ops;
  // Tokens of the previous record that end before the first differing byte are kept: their
  // boundaries are the same here.
  let k = E.kGuess < tn ? E.kGuess : tn;
  while (k > 0 && tO[k - 1]! + tL[k - 1]! >= q) k--;
  while (k < tn && tO[k]! + tL[k]! < q) k++;
  E.kGuess = k;
  let off = k > 0 ? tO[k - 1]! + tL[k - 1]! : 0;
  let j = k, no = 0, key = 0, shift = 6;
  for (; off < len; j++) {
    const at = s + off;
    const b0 = d[at]!, c = CLASS[b0]!;
    let te = at + 1, v = -1;
    if (c === DIGIT) {
      v = b0 - 48;
      const stop = e < at + MAX_DIGITS ? e : at + MAX_DIGITS;
      while (te < stop && CLASS[d[te]!] === DIGIT) v = v * 10 + d[te++]! - 48;
    } else if (c === LETTER) while (te < e && CLASS[d[te]!] === LETTER) te++;
    const tl = te - at;
    let op: number;
    if (j < tn && tL[j] === tl && (v >= 0 ? tV[j] === v : sameBytes(d, ps + tO[j]!, at, tl))) op = MATCH;
    else if (v >= 0) {
      const p = j < POS ? j : POS - 1;
      const pv = j < tn ? tV[j]! : -1;
      // Zero-padded: a leading 0 and more than one digit. A delta keeps the previous width
      // when that was padded, else takes the natural one.
      const padded = b0 === 48 && tl > 1;
      if (pv >= 0 && v > pv && v - pv < 256 && (d[ps + tO[j]!] === 48 && tL[j]! > 1 ? tL[j] === tl : !padded)) {
        op = DELTA;
        sinks[D0 + p]!.push(v - pv);
      } else {
        if (numN[p] === E.nums[p]!.length) growNumbers(p);
        E.nums[p]![numN[p]!++] = v;
        op = padded ? otherToken(NUMW, d, at, te) : NUM;
      }
    } else op = otherToken(c === OTHER ? CHR : STR, d, at, te);
    if (no < SHAPE_OPS) (key |= (op + 1) << shift), (shift += 3);
    opb[no++] = op;
    tO[j] = off;
    tL[j] = tl;
    tV[j] = v;
    off += tl;
  }
  E.tn = j;
  E.ps = s;
  E.pe = e;
  codeShape(r, k, no, no < SHAPE_OPS && k < SHAPE_K ? key | ((END + 1) << shift) | (k + 1) : 0);
}

/** The values of the less common ops (kept out of the token loop, which compiles smaller). */
function otherToken(op: number, d: Uint8Array, at: number, te: number): number {
  if (op === NUMW) sinks[W]!.push(te - at);
  else if (op === CHR) sinks[C]!.push(d[at]!);
  else sinks[L]!.varint(te - at), sinks[S]!.copy(d, at, te);
  return op;
}

/** The record's shape (k, ops): a known shape's id, else its definition (kept for reuse when `key`). */
function codeShape(r: number, k: number, no: number, key: number): void {
  const sym = E.sym, hs = sinks[H]!;
  if (key) {
    let slot = Math.imul(key, 0x9e3779b1) >>> 23;
    while (shapeKey[slot] !== key && shapeKey[slot] !== 0) slot = (slot + 1) & 511;
    if (shapeKey[slot] === key) {
      sym[r] = SHAPE0 + shapeId[slot]!;
      return;
    }
    if (E.nShapes < SHAPES) {
      shapeKey[slot] = key;
      shapeId[slot] = E.nShapes++;
      sym[r] = NEWSHAPE;
    } else sym[r] = ONEOFF;
  } else sym[r] = ONEOFF;
  hs.varint(k);
  const ops = E.ops;
  for (let i = 0; i < no; i++) hs.push(ops[i]!);
  hs.push(END);
}

function sameBytes(d: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (d[a + i] !== d[b + i]) return false;
  return true;
}

interface Block {
  ids: number[];
  lens: number[];
  /** The streams of `ids`, concatenated. */
  raw: Uint8Array;
  /** zstd frame of `raw`, when smaller. */
  z: Uint8Array | undefined;
}

/** The coded page (mode 1): header, then the blocks. */
function assemble(total: number, records: number, zstd: boolean): Uint8Array {
  // Blocks: the record symbols; the other byte streams together; each position's numbers.
  const blocks: Block[] = [{ ids: [R], lens: [records], raw: E.sym.subarray(0, records), z: undefined }];
  const side = sideBlock();
  if (side) blocks.push(side);
  const nums = numberBlock();
  if (nums) blocks.push(nums);
  for (const b of blocks) {
    if (!zstd || b === nums || b.raw.length <= 32) continue;
    const z = zstdCodec.encode(b.raw, LEVEL);
    if (z.length < b.raw.length) b.z = z;
  }
  const head: number[] = [TOKENS, 0, 0, 0, 0];
  pushVarint(head, total);
  pushVarint(head, records);
  pushVarint(head, blocks.length);
  let size = 0;
  for (const b of blocks) {
    head.push(b.z ? 1 : 0);
    pushVarint(head, b.ids.length);
    for (let i = 0; i < b.ids.length; i++) head.push(b.ids[i]!), pushVarint(head, b.lens[i]!);
    if (b.z) pushVarint(head, b.z.length);
    size += (b.z ?? b.raw).length;
  }
  const out = new Uint8Array(head.length + size);
  out.set(head);
  let o = head.length;
  for (const b of blocks) out.set(b.z ?? b.raw, o), (o += (b.z ?? b.raw).length);
  return sealed(out);
}

/** The byte streams other than R, concatenated in id order. */
function sideBlock(): Block | undefined {
  const ids: number[] = [], lens: number[] = [];
  let bytes = 0;
  for (let i = 1; i < N0; i++) if (sinks[i]!.n) ids.push(i), lens.push(sinks[i]!.n), (bytes += sinks[i]!.n);
  if (!bytes) return undefined;
  const raw = new Uint8Array(bytes);
  for (let i = 0, o = 0; i < ids.length; o += lens[i++]!) raw.set(sinks[ids[i]!]!.b.subarray(0, lens[i]!), o);
  return { ids, lens, raw, z: undefined };
}

/**
 * The new numbers of each position, bit-packed as offsets from their minimum, in one block
 * stored as it is (zstd finds nothing in them). Bit-packing measured within 0.2% of the best
 * of it and zstd of byte planes on the bench names: their coordinates fill their range evenly.
 */
function numberBlock(): Block | undefined {
  const ids: number[] = [], lens: number[] = [], parts: Uint8Array[] = [];
  for (let p = 0; p < POS; p++) {
    if (!E.numN[p]) continue;
    const part = bitPack(E.nums[p]!.subarray(0, E.numN[p]!));
    ids.push(N0 + p);
    lens.push(part.length);
    parts.push(part);
  }
  if (!ids.length) return undefined;
  const raw = new Uint8Array(lens.reduce((a, b) => a + b, 0));
  for (let i = 0, o = 0; i < parts.length; o += lens[i++]!) raw.set(parts[i]!, o);
  return { ids, lens, raw, z: undefined };
}

/** Varint count, varint minimum, byte bits, then the offsets from the minimum, LSB first. */
function bitPack(v: Int32Array): Uint8Array {
  const n = v.length;
  let min = 0x7fffffff, max = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  let nb = 0;
  while (nb < 30 && (max - min) >>> nb) nb++;
  const head: number[] = [];
  pushVarint(head, n);
  pushVarint(head, min);
  head.push(nb);
  const packed = new Uint8Array(head.length + ((n * nb + 7) >>> 3));
  packed.set(head);
  // Values of more than 24 bits go in two parts so the accumulator stays in 32 bits.
  let acc = 0, have = 0, o = head.length;
  const lo = nb > 24 ? 16 : nb, hi = nb - lo, loMask = lo === 0 ? 0 : 0xffffffff >>> (32 - lo);
  for (let i = 0; i < n; i++) {
    const x = v[i]! - min;
    acc |= (x & loMask) << have;
    have += lo;
    while (have >= 8) (packed[o++] = acc), (acc >>>= 8), (have -= 8);
    if (hi) {
      acc |= (x >>> lo) << have;
      have += hi;
      while (have >= 8) (packed[o++] = acc), (acc >>>= 8), (have -= 8);
    }
  }
  if (have > 0) packed[o++] = acc;
  return packed;
}

/** CRC-32C of the mode byte and the bytes after the CRC. */
function checksum(b: Uint8Array): number {
  return crc32c(b.subarray(5), crc32c(b.subarray(0, 1)));
}

/** Writes the checksum into bytes 1-4. */
function sealed(out: Uint8Array): Uint8Array {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(1, checksum(out), true);
  return out;
}

function unpackNumbers(b: Uint8Array, max: number): Int32Array {
  const s = new Src(b);
  const n = s.varint(), min = s.varint(), nb = s.byte();
  if (nb > 30 || min >= 1e9 || n > max || s.at + Math.ceil((n * nb) / 8) !== b.length) corrupt('bad number stream');
  const out = new Int32Array(n);
  const lo = nb > 24 ? 16 : nb, hi = nb - lo, loMask = lo === 0 ? 0 : 0xffffffff >>> (32 - lo), hiMask = hi === 0 ? 0 : 0xffffffff >>> (32 - hi);
  let acc = 0, have = 0, o = s.at;
  for (let i = 0; i < n; i++) {
    while (have < lo) (acc |= b[o++]! << have), (have += 8);
    let x = acc & loMask;
    acc >>>= lo;
    have -= lo;
    if (hi) {
      while (have < hi) (acc |= b[o++]! << have), (have += 8);
      x += (acc & hiMask) * (1 << lo);
      acc >>>= hi;
      have -= hi;
    }
    out[i] = min + x;
  }
  return out;
}

/** Decoder state of the page being rebuilt (one object, fixed shape; see E). */
const D = {
  out: EMPTY,
  /** Page bytes stated in the header, bytes rebuilt so far. */
  total: 0, o: 0,
  /** Record starts; the pending list (previous pending record) and its newest record. */
  starts: new Int32Array(0), prev: new Int32Array(0), tail: -1,
  /** Previous tokenised record: start and token count (tokens in E.tO, E.tL, E.tV). */
  ps: 0, tn: 0,
  streams: [] as Src[],
  numbers: [] as (Int32Array | undefined)[],
  numAt: new Int32Array(POS),
  shapeK: [] as number[],
  shapeOps: [] as Uint8Array[],
  opsTmp: new Uint8Array(64),
};

function decodeTokens(data: Uint8Array): Uint8Array {
  const h = new Src(data);
  h.at = 5;
  const total = h.varint(), n = h.varint(), count = h.varint();
  if (n > total || (n === 0) !== (total === 0) || count > NSTREAMS) corrupt(`${n} records in ${total} bytes, ${count} blocks`);
  const streams: Src[] = [];
  for (let i = 0; i < N0; i++) streams.push(new Src(EMPTY));
  const numbers: (Int32Array | undefined)[] = [], numParts: (Uint8Array | undefined)[] = [];
  const seen = new Uint8Array(NSTREAMS);
  const meta: number[][] = [];
  for (let i = 0; i < count; i++) {
    const mode = h.byte(), k = h.varint();
    if (mode > 1 || k > NSTREAMS) corrupt(`bad block (mode ${mode}, ${k} streams)`);
    const m: number[] = [mode];
    let raw = 0;
    for (let j = 0; j < k; j++) {
      const id = h.byte(), len = h.varint();
      if (id >= NSTREAMS || seen[id]) corrupt(`bad or repeated stream ${id}`);
      seen[id] = 1;
      m.push(id, len);
      raw += len;
    }
    m.push(raw, mode === 1 ? h.varint() : raw);
    meta.push(m);
  }
  let at = h.at;
  for (const m of meta) {
    const raw = m[m.length - 2]!, len = m[m.length - 1]!;
    if (at + len > data.length) corrupt('blocks overrun the stream');
    let b = data.subarray(at, at + len);
    at += len;
    if (m[0] === 1) b = zstdCodec.decode(b, LEVEL);
    if (b.length !== raw) corrupt(`block is ${b.length} bytes, expected ${raw}`);
    for (let j = 1, o = 0; j < m.length - 2; j += 2) {
      const id = m[j]!, part = b.subarray(o, o + m[j + 1]!);
      o += m[j + 1]!;
      if (id >= N0) numParts[id - N0] = part;
      else streams[id] = new Src(part);
    }
  }
  if (at !== data.length) corrupt(`${data.length - at} bytes after the blocks`);
  const rs = streams[R]!;
  if (rs.b.length !== n) corrupt(`${rs.b.length} record symbols for ${n} records`);
  // A record refers to a shape of at most SHAPE_OPS new tokens or spells its ops out in H.
  const maxNumbers = SHAPE_OPS * n + streams[H]!.b.length;
  for (let p = 0; p < POS; p++) if (numParts[p]) numbers[p] = unpackNumbers(numParts[p]!, maxNumbers);
  // The output grows as it is rebuilt, so a damaged length cannot make it allocate much.
  D.out = new Uint8Array(Math.min(total, 1024 + 64 * data.length));
  D.total = total;
  D.o = D.ps = D.tn = 0;
  D.tail = -1;
  D.starts = new Int32Array(n + 1);
  D.prev = new Int32Array(n);
  D.streams = streams;
  D.numbers = numbers;
  D.numAt.fill(0);
  D.shapeK = [];
  D.shapeOps = [];
  for (let r = 0; r < n; r++) {
    D.starts[r] = D.o;
    const sym = rs.b[r]!;
    if (sym >= PEND0) decodeCopy(r, sym);
    else {
      D.prev[r] = D.tail;
      D.tail = r;
      if (sym === LIT) decodeLiteral();
      else decodeRecord(sym);
    }
  }
  if (D.o !== total) corrupt(`rebuilt ${D.o} of ${total} bytes`);
  for (let p = 0; p < POS; p++) if (numbers[p] && D.numAt[p] !== numbers[p]!.length) corrupt('numbers left over');
  for (let i = 1; i < N0; i++) if (streams[i]!.at !== streams[i]!.b.length) corrupt(`stream ${i} has bytes left over`);
  const out = D.out;
  D.out = EMPTY;
  return out.length === total ? out : out.subarray(0, total);
}

/** Makes room for `need` bytes of output. */
function room(need: number): void {
  if (need > D.total) corrupt('names overrun the page');
  const g = new Uint8Array(Math.min(D.total, Math.max(need, D.out.length * 2)));
  g.set(D.out);
  D.out = g;
}

/** Record r copies an earlier one: by index among the pending records, or by distance. */
function decodeCopy(r: number, sym: number): void {
  const prev = D.prev;
  let c = -1;
  if (sym <= PEND_FAR) {
    const idx = sym < PEND_FAR ? sym - PEND0 : D.streams[F]!.varint() + PEND_NEAR;
    if (idx >= WALK) corrupt('bad pending index');
    let succ = -1;
    c = D.tail;
    for (let i = 0; i < idx && c >= 0; i++) (succ = c), (c = prev[c]!);
    if (c < 0) corrupt('bad pending index');
    if (succ < 0) D.tail = prev[c]!;
    else prev[succ] = prev[c]!;
  } else if (sym === DUP_DIST) {
    const dist = D.streams[F]!.varint();
    if (dist < 1 || dist > r) corrupt('bad copy distance');
    c = r - dist;
  } else corrupt(`unknown record symbol ${sym}`);
  const cs = D.starts[c]!, ce = D.starts[c + 1]!, o = D.o;
  if (o + ce - cs > D.out.length) room(o + ce - cs);
  D.out.copyWithin(o, cs, ce);
  D.o = o + ce - cs;
}

function decodeLiteral(): void {
  const len = D.streams[L]!.varint(), ss = D.streams[S]!, o = D.o;
  if (len === 0 || ss.at + len > ss.b.length) corrupt('bad literal name');
  if (o + len > D.out.length) room(o + len);
  D.out.set(ss.b.subarray(ss.at, ss.at + len), o);
  ss.at += len;
  D.tn = tokenizeAll(D.out, o, o + len);
  D.ps = o;
  D.o = o + len;
}

/** The ops of a record's shape (sets D's kept-token count in shapeKept). */
let shapeKept = 0;

function shapeOf(sym: number): Uint8Array {
  if (sym >= SHAPE0) {
    const id = sym - SHAPE0;
    if (id >= D.shapeK.length) corrupt(`shape ${id} not defined`);
    shapeKept = D.shapeK[id]!;
    return D.shapeOps[id]!;
  }
  const hs = D.streams[H]!;
  shapeKept = hs.varint();
  let no = 0, ops = D.opsTmp;
  for (;;) {
    const x = hs.byte();
    if (x > END) corrupt(`unknown token op ${x}`);
    if (no === ops.length) D.opsTmp = ops = grownU8(ops, no * 2);
    ops[no++] = x;
    if (x === END) break;
  }
  const def = ops.subarray(0, no);
  if (sym !== NEWSHAPE) return def;
  if (D.shapeK.length >= SHAPES) corrupt('too many shapes');
  D.shapeK.push(shapeKept);
  D.shapeOps.push(def.slice());
  return def;
}

/** A record coded as tokens against the previous tokenised one. */
function decodeRecord(sym: number): void {
  const ops = shapeOf(sym), k = shapeKept, tn = D.tn, ps = D.ps, s = D.o;
  if (tn === 0) corrupt('tokens before the first name');
  if (k > tn) corrupt(`${k} tokens kept of ${tn}`);
  const keep = k > 0 ? E.tO[k - 1]! + E.tL[k - 1]! : 0;
  if (s + keep > D.out.length) room(s + keep);
  D.out.copyWithin(s, ps, ps + keep);
  let o = s + keep, j = k;
  for (let x = 0; ; j++, x++) {
    const top = ops[x]!;
    if (top === END) break;
    if (j >= E.tO.length) growTokens(j + 1);
    const tO = E.tO, tL = E.tL, tV = E.tV;
    const p = j < POS ? j : POS - 1;
    let v = -1, tl: number;
    if (top === MATCH) {
      if (j >= tn) corrupt('match past the previous name');
      tl = tL[j]!;
      v = tV[j]!;
      if (o + tl > D.out.length) room(o + tl);
      const out = D.out, pa = ps + tO[j]!;
      for (let i = 0; i < tl; i++) out[o + i] = out[pa + i]!;
    } else if (top <= NUMW) {
      if (top === DELTA) {
        if (j >= tn || tV[j]! < 0) corrupt('delta from a token that is not a number');
        const pv = tV[j]!, dv = D.streams[D0 + p]!.byte();
        if (dv === 0) corrupt('zero delta');
        v = pv + dv;
        tl = tL[j]! > digitsOf(pv) ? tL[j]! : digitsOf(v);
      } else {
        const ns = D.numbers[p];
        if (!ns || D.numAt[p]! >= ns.length) corrupt('number stream ends early');
        v = ns[D.numAt[p]!++]!;
        tl = top === NUM ? digitsOf(v) : numberWidth(v);
      }
      if (v < 0 || v >= 1e9 || tl > MAX_DIGITS || tl < digitsOf(v)) corrupt('bad number');
      if (o + tl > D.out.length) room(o + tl);
      const out = D.out;
      for (let i = tl - 1, y = v; i >= 0; i--) (out[o + i] = 48 + (y % 10)), (y = (y / 10) | 0);
    } else tl = otherTokenBack(top, o);
    tO[j] = o - s;
    tL[j] = tl;
    tV[j] = v;
    o += tl;
  }
  D.tn = j;
  D.ps = s;
  D.o = o;
}

/** Width of a zero-padded number. */
function numberWidth(v: number): number {
  const w = D.streams[W]!.byte();
  if (w <= digitsOf(v)) corrupt('bad number width');
  return w;
}

/** A letters or other-byte token written at `o`; returns its length. */
function otherTokenBack(op: number, o: number): number {
  if (op === CHR) {
    if (o + 1 > D.out.length) room(o + 1);
    D.out[o] = D.streams[C]!.byte();
    return 1;
  }
  const ss = D.streams[S]!, tl = D.streams[L]!.varint();
  if (tl === 0 || ss.at + tl > ss.b.length) corrupt('bad string');
  if (o + tl > D.out.length) room(o + tl);
  D.out.set(ss.b.subarray(ss.at, ss.at + tl), o);
  ss.at += tl;
  return tl;
}

/** The smallest of `tok`, zstd of the page and the page as it is. */
function smallest(tok: Uint8Array | undefined, data: Uint8Array): Uint8Array {
  const z = zstdCodec.encode(data, FALLBACK);
  if (tok && tok.length <= z.length + 5 && tok.length <= data.length + 5) return tok;
  return z.length < data.length ? withMode(ZSTD, z) : withMode(RAW, data);
}

function withMode(mode: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 5);
  out[0] = mode;
  out.set(body, 5);
  return sealed(out);
}

let warm = false;

/**
 * Codes a small made-up page once per thread, before the first big one, so that every
 * branch (copies near and far, a third copy, padded numbers, letters, one-off shapes, the
 * scratch growth) has run: V8 then compiles the hot functions with feedback for all of them
 * instead of compiling, meeting a branch it has not seen, discarding the code and compiling
 * again. Measured: 70 bench pages in a fresh process, 80 -> 71 ms CPU.
 */
function warmUp(): void {
  if (warm) return;
  warm = true;
  const names: string[] = [];
  for (let i = 0; i < 160; i++) names.push(`W1:${100 + i}:${(i * 397) % 1000}`);
  names.push('W1:100:0', 'W1:100:0', 'W1:259:53', 'W1:259:57', 'W1:259:007', 'W1:abc:1', 'W1:abd:1', 'W1:abd-1', 'W1:abd_1');
  names.push('W1:1:2:3:4:5:6:7:8:9', 'W1:259:57', 'W1:x', 'W1:\u00e9t\u00e9:12345678');
  const d = new Uint8Array(names.join('').split('').map((c) => c.charCodeAt(0) & 0xff));
  assemble(d.length, encodeTokens(d, chooseMarker(d)), true);
}

export const nameTokCodec: Codec = {
  id: 'nametok',
  description: 'read names split into tokens, each coded against the previous name (match, delta, new), copies of earlier names by reference',
  validate(input, param) {
    if (input !== 'bytes' && input !== 'u8') throw new InvalidArgumentError(`codec nametok takes bytes, not ${input}`);
    if (param !== undefined) throw new InvalidArgumentError(`codec nametok takes no parameter, got '${param}'`);
  },
  outputType: () => 'bytes',
  encode(data) {
    if (data.length === 0) return withMode(RAW, data);
    // Below 1 KB, no zstd at all: the registration self-check (512 bytes) then does not load
    // the zstd binding into every command.
    const small = data.length < SMALL;
    if (data.length >= 16384) warmUp();
    const m = markerFor(data);
    // Names that share (almost) nothing with their predecessors (random ids such as UUIDs,
    // names of several naming schemes mixed) gain nothing from tokens: zstd only.
    if (unshared >= GIVE_UP) return small ? withMode(RAW, data) : smallest(undefined, data);
    const tok = assemble(data.length, encodeTokens(data, m), !small);
    if (small) return tok.length <= data.length + 5 ? tok : withMode(RAW, data);
    // Names tokenise to well under 40% of their bytes; a page that does not, or a small one,
    // also tries zstd and keeps the smaller.
    const good = tok.length * 5 <= data.length * 2;
    if (!good) lastMarker = EMPTY;
    return good && data.length >= 4096 ? tok : smallest(tok, data);
  },
  decode(data) {
    if (data.length < 5) corrupt(`${data.length}-byte stream`);
    const crc = (data[1]! | (data[2]! << 8) | (data[3]! << 16) | (data[4]! << 24)) >>> 0;
    if (checksum(data) !== crc) corrupt('CRC mismatch');
    const mode = data[0]!;
    if (mode === RAW) return data.slice(5);
    if (mode === ZSTD) return zstdCodec.decode(data.subarray(5), FALLBACK);
    if (mode !== TOKENS) corrupt(`unknown mode ${mode}`);
    return decodeTokens(data);
  },
};
