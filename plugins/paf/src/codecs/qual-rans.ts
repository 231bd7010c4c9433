/**
 * `qualrans`: quality values through a static context model and an rANS coder (Duda's
 * asymmetric numeral systems, byte-wise renormalisation). It replaces `qualcm`, whose adaptive
 * binary model cost ~30 ns per value each way; this one decodes one value per table step.
 *
 * A page's K distinct values are ranked by frequency (rank 0 the most common). Each value is
 * coded with the frequencies of its context, counted over the page and stored with it:
 * - model 2 (K <= 8, binned qualities such as NovaSeq's 4 levels): the two previous ranks and
 *   how many times the previous one has repeated (0-7). Measured on the bench qualities
 *   (41.5 M values, 153 pages): 3.26 MB against 3.37 MB for the adaptive `qualcm` with two
 *   previous values and a 0-3 run counter; the tables are ~40 contexts a page.
 * - model 1 (K <= 64): the previous rank; model 0: no context.
 * Contexts run on across reads, so no record boundaries are needed. Decoding looks the value
 * up by context and slot in tables built from the page's frequencies (see `buildTables`).
 *
 * `qualrans:4` codes value i with the i mod 4-th of four rANS states: the same model and
 * bytes but for 12 more bytes of states a page, and it decodes ~1.7x faster (four independent
 * chains for the CPU to overlap instead of one). Plain `qualrans` (one state) is what chunks
 * written before it hold; both stay readable and writable.
 *
 * Stream: varint n; byte K (0 = 256); K value bytes by rank; byte model; varint contexts used;
 * per used context: varint (id - previous id - 1), K-1 varint frequencies (the last is 2^14
 * minus their sum); the final state of each rANS state, 4 bytes little-endian, state 0 first;
 * the rANS bytes. K <= 1: no more.
 */
import { CorruptDataError, InvalidArgumentError, type Codec } from '@genolake/core';
import { putVarint, VarintReader } from './varint.js';

/** Frequencies sum to M = 2^S. */
const S = 14;
const M = 1 << S;
/** State lives in [L, 256 L): below 2^30, so V8 keeps it a small integer. */
const L = 1 << 22;
const RUN_MAX = 7;
/** More values than a page can hold (l_seq is an int32; pages hold ~1 MiB of records). */
export const MAX_VALUES = 2 ** 30;

function modelFor(k: number): number {
  return k <= 8 ? 2 : k <= 64 ? 1 : 0;
}

function contextCount(model: number, k: number): number {
  return model === 2 ? k * k * (RUN_MAX + 1) : model === 1 ? k : 1;
}

/**
 * The context after each rank, as a table: next[context * k + rank]. Context 0 starts a page
 * (previous ranks 0, no run), so coder and decoder step through contexts by lookup alone.
 */
function transitions(model: number, k: number): Uint16Array {
  const n = contextCount(model, k);
  const next = new Uint16Array(n * k);
  for (let c = 0; c < n; c++) {
    for (let s = 0; s < k; s++) {
      if (model === 1) next[c * k + s] = s;
      else if (model === 2) {
        const run = c & RUN_MAX, q1 = (c >> 3) / k | 0;
        const r = s === q1 ? (run < RUN_MAX ? run + 1 : RUN_MAX) : 0;
        next[c * k + s] = ((s * k + q1) << 3) | r;
      }
    }
  }
  return next;
}

/** Counts -> frequencies summing to M, every seen rank at least 1. */
function normalise(counts: Uint32Array, at: number, k: number, total: number, freq: Uint32Array): void {
  let sum = 0, big = at;
  for (let s = at; s < at + k; s++) {
    const c = counts[s]!;
    const f = c === 0 ? 0 : Math.max(1, Math.round((c * M) / total));
    freq[s] = f;
    sum += f;
    if (f > freq[big]!) big = s;
  }
  freq[big] = freq[big]! + (M - sum);
  // Rounding ones up can overdraw the largest; take the excess back from any rank above 1.
  while (freq[big]! < 1) {
    for (let s = at; s < at + k && freq[big]! < 1; s++) if (s !== big && freq[s]! > 1) (freq[s] = freq[s]! - 1), (freq[big] = freq[big]! + 1);
  }
}

/**
 * Encoding runs in two passes: the cell (context, rank) of every value with the cell counts,
 * then the rANS pass backwards. With one state that pass is one chain of dependent divisions;
 * four interleaved states give the CPU four chains to overlap, coding and decoding alike.
 * Each hot loop is a function of its own: V8 compiles a long loop on the fly (OSR), and code
 * after it that had not run yet then fell back to the interpreter on every later call.
 */

/** Scratch of one coding lane, reused between pages (codecs run synchronously per thread). */
interface Lane {
  cells: Uint16Array;
  out: Uint8Array;
}
const scratch: Lane = { cells: new Uint16Array(0), out: new Uint8Array(0) };

/** A page ready for the rANS pass: its header, each value's cell, per-cell frequency and cumulative frequency. */
interface Prepared {
  head: number[];
  n: number;
  cells: Uint16Array;
  freq: Uint32Array;
  cum: Uint32Array;
  out: Uint8Array;
}

function laneFor(lane: Lane, n: number): Lane {
  if (lane.cells.length < n) lane.cells = new Uint16Array(Math.max(n, lane.cells.length * 2));
  // At most 2 bytes per value (f >= 1 and x < 2^30), so the rANS pass needs no bounds check.
  if (lane.out.length < 2 * n + 16) lane.out = new Uint8Array(Math.max(2 * n + 16, lane.out.length * 2));
  return lane;
}

/** The header's per-context frequencies, and freq/cum per rank-space cell. */
function tables(head: number[], model: number, k: number, counts: Uint32Array, totals: Uint32Array): { freq: Uint32Array; cum: Uint32Array } {
  const nCtx = totals.length;
  const freq = new Uint32Array(nCtx * k), cum = new Uint32Array(nCtx * k);
  head.push(model);
  let used = 0;
  for (let c = 0; c < nCtx; c++) if (totals[c]) used++;
  putVarint(head, used);
  let prev = -1;
  for (let c = 0; c < nCtx; c++) {
    if (!totals[c]) continue;
    const at = c * k;
    normalise(counts, at, k, totals[c]!, freq);
    putVarint(head, c - prev - 1);
    prev = c;
    let acc = 0;
    for (let s = 0; s < k; s++) {
      cum[at + s] = acc;
      acc += freq[at + s]!;
      if (s < k - 1) putVarint(head, freq[at + s]!);
    }
  }
  return { freq, cum };
}

/**
 * Model 2 in value-id space: ids in order of first appearance, contexts with stride 8 (the
 * transitions of k = 8), so the cells come in one pass with no histogram first. Ranks are
 * known only after it: the page's first cells, coded as if rank 0 were id 0, are redone from
 * the real start context until the two walks meet (a few values).
 */
const ID_NEXT = transitions(2, 8).map((c) => c * 8);
const idOf = new Uint8Array(256);
const idVal = new Uint8Array(8);
const idCounts = new Uint32Array(4096);

/** Cells and cell counts in id space; the number of ids, or -1 past 8. */
function cellsFew(data: Uint8Array, cells: Uint16Array): number {
  const n = data.length, c8 = idCounts, next = ID_NEXT;
  idOf.fill(255);
  c8.fill(0);
  let nIds = 0, st = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    let id = idOf[v]!;
    if (id === 255) {
      if (nIds === 8) return -1;
      idOf[v] = id = nIds;
      idVal[nIds++] = v;
    }
    const j = st + id;
    cells[i] = j;
    c8[j]!++;
    st = next[j]!;
  }
  return nIds;
}

/** Redoes the first cells from id context `good` (the real start) until the guessed walk meets it. */
function fixStart(cells: Uint16Array, n: number, good: number): void {
  const c8 = idCounts, next = ID_NEXT;
  for (let i = 0, bad = 0; i < n && bad !== good; i++) {
    const jb = cells[i]!, jg = good + (jb & 7);
    c8[jb]!--;
    c8[jg]!++;
    cells[i] = jg;
    bad = next[jb]!;
    good = next[jg]!;
  }
}

/** Values per id, over the id-space cell counts. */
function idTotals(k: number): number[] {
  const c8 = idCounts, count = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let j = 0; j < 4096; j++) count[j & 7]! += c8[j]!;
  return count.slice(0, k);
}

/** Rank-space counts and context totals from the id-space counts; `toRank` gets each id cell's rank cell. */
function rankCounts(k: number, rank: Uint8Array, counts: Uint32Array, totals: Uint32Array, toRank: Uint16Array): void {
  const c8 = idCounts;
  for (let c = 0; c < 512; c++) {
    const a = c >> 6, b = (c >> 3) & 7;
    if (a >= k || b >= k) continue;
    const rc = ((rank[a]! * k + rank[b]!) << 3) | (c & 7);
    for (let s = 0; s < k; s++) {
      const j = rc * k + rank[s]!, n8 = c8[c * 8 + s]!;
      toRank[c * 8 + s] = j;
      counts[j] = n8;
      totals[rc] = totals[rc]! + n8;
    }
  }
}

/** freq/cum per id cell, from the rank-space tables. */
function idTables(toRank: Uint16Array, rf: Uint32Array, rc: Uint32Array, freq: Uint32Array, cum: Uint32Array): void {
  const c8 = idCounts;
  for (let j = 0; j < 4096; j++) {
    if (c8[j]) {
      freq[j] = rf[toRank[j]!]!;
      cum[j] = rc[toRank[j]!]!;
    }
  }
}

/** Pages of at most 8 distinct values (model 2), else undefined. Loops live in helpers: this runs once a page. */
function prepareFew(data: Uint8Array, lane: Lane): Prepared | Uint8Array | undefined {
  const n = data.length;
  const { cells, out } = laneFor(lane, n);
  const k = cellsFew(data, cells);
  if (k < 0) return undefined;
  const count = idTotals(k);
  const ids = count.map((_, id) => id).sort((a, b) => count[b]! - count[a]! || idVal[a]! - idVal[b]!);
  const head: number[] = [];
  putVarint(head, n);
  head.push(k & 0xff);
  for (const id of ids) head.push(idVal[id]!);
  if (k <= 1) return Uint8Array.from(head);
  const rank = new Uint8Array(8);
  ids.forEach((id, r) => (rank[id] = r));
  const r0 = ids[0]!;
  if (r0 !== 0) fixStart(cells, n, (r0 * 8 + r0) * 64);
  // Id-space cell -> rank-space cell: counts for the header, then freq/cum back per id cell.
  const nCtx = contextCount(2, k);
  const counts = new Uint32Array(nCtx * k), totals = new Uint32Array(nCtx), toRank = new Uint16Array(4096);
  rankCounts(k, rank, counts, totals, toRank);
  const t = tables(head, 2, k, counts, totals);
  const freq = new Uint32Array(4096), cum = new Uint32Array(4096);
  idTables(toRank, t.freq, t.cum, freq, cum);
  return { head, n, cells, freq, cum, out };
}

function histogram(data: Uint8Array): Uint32Array {
  const count = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) count[data[i]!]!++;
  return count;
}

function cellsMany(data: Uint8Array, rankOf: Uint8Array, next: Uint16Array, cells: Uint16Array, counts: Uint32Array): void {
  let st = 0;
  for (let i = 0; i < data.length; i++) {
    const j = st + rankOf[data[i]!]!;
    cells[i] = j;
    counts[j]!++;
    st = next[j]!;
  }
}

/** Any number of values: a histogram for the ranks, then the cells. */
function prepareMany(data: Uint8Array, lane: Lane): Prepared | Uint8Array {
  const n = data.length;
  const count = histogram(data);
  const values: number[] = [];
  for (let v = 0; v < 256; v++) if (count[v]) values.push(v);
  values.sort((a, b) => count[b]! - count[a]! || a - b);
  const k = values.length;
  const head: number[] = [];
  putVarint(head, n);
  head.push(k & 0xff, ...values);
  if (k <= 1) return Uint8Array.from(head);
  const rankOf = new Uint8Array(256);
  values.forEach((v, r) => (rankOf[v] = r));
  const model = modelFor(k);
  // Transitions times k: a cell is the context's first cell plus the rank.
  const next = transitions(model, k).map((c) => c * k);
  const nCtx = contextCount(model, k);
  const { cells, out } = laneFor(lane, n);
  const counts = new Uint32Array(nCtx * k), totals = new Uint32Array(nCtx);
  cellsMany(data, rankOf, next, cells, counts);
  for (let c = 0; c < nCtx; c++) for (let s = 0; s < k; s++) totals[c] = totals[c]! + counts[c * k + s]!;
  const { freq, cum } = tables(head, model, k, counts, totals);
  return { head, n, cells, freq, cum, out };
}

function prepare(data: Uint8Array, lane: Lane): Prepared | Uint8Array {
  return (data.length > 0 ? prepareFew(data, lane) : undefined) ?? prepareMany(data, lane);
}

const X_MAX = (L >> S) << 8;
/** Final states of the last decoding loop. */
const at = new Int32Array(4);

/** The stream: header, final states (little-endian, state 0 first), the rANS bytes from `o` on. */
function assemble(p: Prepared, states: readonly number[], o: number): Uint8Array {
  const { head, out } = p;
  const result = new Uint8Array(head.length + 4 * states.length + out.length - o);
  result.set(head);
  let h = head.length;
  for (const x of states) {
    result[h++] = x & 0xff;
    result[h++] = (x >>> 8) & 0xff;
    result[h++] = (x >>> 16) & 0xff;
    result[h++] = x >>> 24;
  }
  result.set(out.subarray(o), h);
  return result;
}

/** One rANS step: value cell `j` onto state `x`, renormalising into `out` below `o`; new state, and new `o` in `pos[0]`. */
const pos = new Int32Array(1);
function step(x: number, j: number, freq: Uint32Array, cum: Uint32Array, out: Uint8Array): number {
  const f = freq[j]!, limit = X_MAX * f;
  let o = pos[0]!;
  while (x >= limit) {
    out[--o] = x & 0xff;
    x >>>= 8;
  }
  pos[0] = o;
  // x + q (M - f) + cum = (q << S) + (x mod f) + cum: the same state, fewer dependent steps.
  return x + ((x / f) | 0) * (M - f) + cum[j]!;
}

/** One state, values n-1 down to 0 (`qualrans`). */
function encodeOne(p: Prepared): Uint8Array {
  const { cells, freq, cum, out } = p;
  pos[0] = out.length;
  let x = L;
  for (let i = p.n - 1; i >= 0; i--) x = step(x, cells[i]!, freq, cum, out);
  return assemble(p, [x], pos[0]!);
}

/**
 * Four states (`qualrans:4`): value i is coded by state i mod 4. The coder walks the values
 * backwards and the decoder forwards through one byte stream, so each state's bytes land
 * where the decoder's same state asks for them.
 */
function encodeFour(p: Prepared): Uint8Array {
  const { cells, freq, cum, out } = p;
  pos[0] = out.length;
  const xs = [L, L, L, L];
  let i = p.n;
  while (i & 3) (i--), (xs[i & 3] = step(xs[i & 3]!, cells[i]!, freq, cum, out));
  let [xa, xb, xc, xd] = xs as [number, number, number, number];
  let o = pos[0]!;
  while (i > 0) {
    i -= 4;
    const jd = cells[i + 3]!, jc = cells[i + 2]!, jb = cells[i + 1]!, ja = cells[i]!;
    const fd = freq[jd]!, fc = freq[jc]!, fb = freq[jb]!, fa = freq[ja]!;
    while (xd >= X_MAX * fd) (out[--o] = xd & 0xff), (xd >>>= 8);
    xd = xd + ((xd / fd) | 0) * (M - fd) + cum[jd]!;
    while (xc >= X_MAX * fc) (out[--o] = xc & 0xff), (xc >>>= 8);
    xc = xc + ((xc / fc) | 0) * (M - fc) + cum[jc]!;
    while (xb >= X_MAX * fb) (out[--o] = xb & 0xff), (xb >>>= 8);
    xb = xb + ((xb / fb) | 0) * (M - fb) + cum[jb]!;
    while (xa >= X_MAX * fa) (out[--o] = xa & 0xff), (xa >>>= 8);
    xa = xa + ((xa / fa) | 0) * (M - fa) + cum[ja]!;
  }
  pos[0] = o;
  return assemble(p, [xa, xb, xc, xd], pos[0]!);
}

/** A qualrans stream of `states` (1 or 4) states; qualpack's fallback for pages of many values. */
export function encodeQualRans(data: Uint8Array, states: number): Uint8Array {
  const p = prepare(data, scratch);
  return p instanceof Uint8Array ? p : states === 4 ? encodeFour(p) : encodeOne(p);
}

/** A stream's header, read: everything the decoding loop needs but the tables. */
interface Parsed {
  n: number;
  k: number;
  values: Uint8Array;
  model: number;
  /** Cumulative frequencies, stride `w` per context, M past the last rank and in unused contexts. */
  cum: Uint32Array;
  w: number;
  used: number[];
  /** Offset of the first state. */
  pos: number;
}

function parse(data: Uint8Array): Parsed | Uint8Array {
  const r = new VarintReader(data, 0, 'qualrans');
  const n = r.read();
  let k = r.byte();
  if (k === 0 && n > 0) k = 256;
  // A page of one value (or one value but a handful) costs a few bytes however long it is (a
  // multi-megabase read without qualities): only an absurd count is refused before allocating.
  if (n > MAX_VALUES) throw new CorruptDataError(`codec qualrans: ${data.length} bytes declare ${n} values`);
  const values = new Uint8Array(Math.max(k, 1));
  for (let i = 0; i < k; i++) values[i] = r.byte();
  if (n === 0) return new Uint8Array(0);
  if (k === 1) return new Uint8Array(n).fill(values[0]!);
  const model = r.byte();
  if (model > 2 || modelFor(k) !== model) throw new CorruptDataError(`codec qualrans: model ${model} for ${k} values`);
  const nCtx = contextCount(model, k);
  const w = k + 1;
  const cum = new Uint32Array(nCtx * w).fill(M);
  const count = r.read();
  if (count > nCtx) throw new CorruptDataError(`codec qualrans: ${count} contexts of ${nCtx}`);
  const used: number[] = [];
  let c = -1;
  for (let u = 0; u < count; u++) {
    c += r.read() + 1;
    if (c >= nCtx) throw new CorruptDataError(`codec qualrans: context ${c} of ${nCtx}`);
    used.push(c);
    const at = c * w;
    let acc = 0;
    for (let s = 0; s < k; s++) {
      cum[at + s] = acc;
      acc += s < k - 1 ? r.read() : M - acc;
      if (acc > M) throw new CorruptDataError(`codec qualrans: frequencies of context ${c} exceed ${M}`);
    }
  }
  return { n, k, values, model, cum, w, used, pos: r.pos };
}

/**
 * Decoding tables. A context's 2^S slots are cut into 2^(S - B) buckets; a bucket that lies
 * wholly inside one rank's slots holds that rank's coding, `f << S | lo`, and where it leads,
 * `next context's first bucket << 8 | value`. Decoding a value is then one lookup by context
 * and slot, with no search, and the next context comes from the same lookup: the chain from
 * one value to the next is a load, not compares and a second load. A bucket that straddles
 * ranks (at most k - 1 a context, ~1% of slots) and every bucket of an unlisted context hold
 * 0 and go the slow way (`slowStep`), which also rejects a stream reaching an unlisted context.
 * Kept between pages: codecs run synchronously per thread.
 */
const B = 6;
const NB = 1 << (S - B);
let coding = new Int32Array(0), leads = new Int32Array(0);

function buildTables(h: Parsed): void {
  const { k, values, model, cum, w } = h;
  const nCtx = contextCount(model, k);
  if (coding.length < nCtx * NB) (coding = new Int32Array(nCtx * NB)), (leads = new Int32Array(nCtx * NB));
  else coding.fill(0, 0, nCtx * NB);
  const next = transitions(model, k);
  for (const c of h.used) {
    for (let s = 0; s < k; s++) {
      const lo = cum[c * w + s]!, hi = cum[c * w + s + 1]!;
      if (hi <= lo) continue;
      const fl = ((hi - lo) << S) | lo, ns = ((next[c * k + s]! * NB) << 8) | values[s]!;
      for (let u = c * NB + ((lo + (1 << B) - 1) >>> B), z = c * NB + (hi >>> B); u < z; u++) (coding[u] = fl), (leads[u] = ns);
    }
  }
  slow.cum = cum;
  slow.w = w;
  slow.k = k;
  slow.next = next;
  slow.values = values;
}

/** What `slowStep` reads, and its second result. */
const slow: { cum: Uint32Array; w: number; k: number; next: Uint16Array; values: Uint8Array; ns: number } = {
  cum: new Uint32Array(0), w: 0, k: 0, next: new Uint16Array(0), values: new Uint8Array(0), ns: 0,
};

/** The coding of slot `slot` in the context whose first bucket is `base`, by search; 0 for a slot no rank owns. */
function slowStep(base: number, slot: number): number {
  const { cum, w, k } = slow;
  const c = base >>> (S - B), b = c * w;
  let s = 0;
  while (s < k - 1 && slot >= cum[b + s + 1]!) s++;
  const lo = cum[b + s]!, f = cum[b + s + 1]! - lo;
  if (f <= 0 || slot < lo) return 0;
  slow.ns = ((slow.next[c * k + s]! * NB) << 8) | slow.values[s]!;
  return (f << S) | lo;
}

function unlisted(i: number): CorruptDataError {
  return new CorruptDataError(`codec qualrans: value ${i} in an unlisted context`);
}

function readState(data: Uint8Array, p: number): number {
  if (p + 4 > data.length) throw new CorruptDataError('codec qualrans: truncated state');
  return data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24);
}

/**
 * Decodes a qualrans stream of `states` (1 or 4) states; `offset` is added (mod 256) to every
 * value: 33 gives SAM text (see qualRansTextCodec). qualpack's fallback for pages of many values.
 */
export function decodeQualRans(data: Uint8Array, states: number, offset = 0): Uint8Array {
  const h = parse(data);
  if (offset) {
    // A page of one value (or none) comes back filled with it.
    if (h instanceof Uint8Array) return h.length ? h.fill((h[0]! + offset) & 0xff) : h;
    for (let s = 0; s < h.values.length; s++) h.values[s] = (h.values[s]! + offset) & 0xff;
  }
  if (h instanceof Uint8Array) return h;
  buildTables(h);
  const xs = Array.from({ length: states }, (_, i) => readState(data, h.pos + 4 * i));
  const out = new Uint8Array(h.n);
  const p = states === 4 ? decodeFour(data, h.pos + 16, xs, out) : decodeOne(data, h.pos + 4, xs[0]!, out);
  if (p !== data.length || at.some((x) => x !== L)) throw new CorruptDataError(`codec qualrans: stream ends at byte ${p} of ${data.length} in state ${at[0]}`);
  return out;
}

/** One state: returns where the bytes ended; the final state goes to at[0] (the others L). */
function decodeOne(data: Uint8Array, p: number, x: number, out: Uint8Array): number {
  const fl = coding, lead = leads, end = data.length, mask = M - 1, n = out.length;
  let base = 0;
  for (let i = 0; i < n; i++) {
    const slot = x & mask, e = base + (slot >>> B);
    let c = fl[e]!, ns: number;
    if (c !== 0) ns = lead[e]!;
    else if ((c = slowStep(base, slot)) !== 0) ns = slow.ns;
    else throw unlisted(i);
    x = (Math.imul(c >> S, x >> S) + slot - (c & mask)) | 0;
    while (x < L) x = (x << 8) | (p < end ? data[p++]! : 0);
    out[i] = ns & 0xff;
    base = ns >>> 8;
  }
  at.fill(L);
  at[0] = x;
  return p;
}

/**
 * Four states, value i from state i mod 4; final states to at[0..3]. Each value's steps as in
 * decodeOne, written out once per state so that V8 keeps the four states in registers (an
 * array indexed by i mod 4 would load and store one each value) and the chains overlap.
 */
function decodeFour(data: Uint8Array, p: number, xs: number[], out: Uint8Array): number {
  const fl = coding, lead = leads, end = data.length, mask = M - 1, n = out.length;
  let base = 0, i = 0, xa = xs[0]!, xb = xs[1]!, xc = xs[2]!, xd = xs[3]!;
  for (; i + 3 < n; i += 4) {
    const sa = xa & mask, ea = base + (sa >> B);
    let ca = fl[ea]!, na: number;
    if (ca !== 0) na = lead[ea]!;
    else if ((ca = slowStep(base, sa)) !== 0) na = slow.ns;
    else throw unlisted(i);
    xa = (Math.imul(ca >> S, xa >> S) + sa - (ca & mask)) | 0;
    out[i] = na & 0xff;
    base = na >> 8;
    const sb = xb & mask, eb = base + (sb >> B);
    let cb = fl[eb]!, nb: number;
    if (cb !== 0) nb = lead[eb]!;
    else if ((cb = slowStep(base, sb)) !== 0) nb = slow.ns;
    else throw unlisted(i + 1);
    xb = (Math.imul(cb >> S, xb >> S) + sb - (cb & mask)) | 0;
    out[i + 1] = nb & 0xff;
    base = nb >> 8;
    const sc = xc & mask, ec = base + (sc >> B);
    let cc = fl[ec]!, nc: number;
    if (cc !== 0) nc = lead[ec]!;
    else if ((cc = slowStep(base, sc)) !== 0) nc = slow.ns;
    else throw unlisted(i + 2);
    xc = (Math.imul(cc >> S, xc >> S) + sc - (cc & mask)) | 0;
    out[i + 2] = nc & 0xff;
    base = nc >> 8;
    const sd = xd & mask, ed = base + (sd >> B);
    let cd = fl[ed]!, nd: number;
    if (cd !== 0) nd = lead[ed]!;
    else if ((cd = slowStep(base, sd)) !== 0) nd = slow.ns;
    else throw unlisted(i + 3);
    xd = (Math.imul(cd >> S, xd >> S) + sd - (cd & mask)) | 0;
    out[i + 3] = nd & 0xff;
    base = nd >> 8;
    while (xa < L) xa = (xa << 8) | (p < end ? data[p++]! : 0);
    while (xb < L) xb = (xb << 8) | (p < end ? data[p++]! : 0);
    while (xc < L) xc = (xc << 8) | (p < end ? data[p++]! : 0);
    while (xd < L) xd = (xd << 8) | (p < end ? data[p++]! : 0);
  }
  const rest = [xa, xb, xc, xd];
  for (; i < n; i++) {
    let x = rest[i & 3]!;
    const sa = x & mask, ea = base + (sa >> B);
    let ca = fl[ea]!, na: number;
    if (ca !== 0) na = lead[ea]!;
    else if ((ca = slowStep(base, sa)) !== 0) na = slow.ns;
    else throw unlisted(i);
    x = (Math.imul(ca >> S, x >> S) + sa - (ca & mask)) | 0;
    out[i] = na & 0xff;
    base = na >> 8;
    while (x < L) x = (x << 8) | (p < end ? data[p++]! : 0);
    rest[i & 3] = x;
  }
  at.set(rest);
  return p;
}

/** `qualrans` is one rANS state; `qualrans:4` four interleaved ones (same model, 16 more bytes a page, decodes faster). */
function statesOf(param: string | undefined): number {
  if (param === undefined) return 1;
  if (param === '4') return 4;
  throw new InvalidArgumentError(`codec qualrans takes no parameter (one state) or 4 (four interleaved states), got '${param}'`);
}

export const qualRansCodec: Codec = {
  id: 'qualrans',
  description: 'quality values: static context model (previous values, run length) + rANS',
  validate(input, param) {
    if (input !== 'bytes' && input !== 'u8') throw new InvalidArgumentError(`codec qualrans takes bytes, not ${input}`);
    statesOf(param);
  },
  outputType: () => 'bytes',
  encode: (data, ctx) => encodeQualRans(data, statesOf(ctx.param)),
  decode: (data, ctx) => decodeQualRans(data, statesOf(ctx.param)),
};

/**
 * `qualrans` decoding straight to SAM text: each value plus 33 (a missing quality's 0xff
 * becomes 0x20, which no SAM quality string holds). The decoder writes the value from its
 * table either way, so this costs nothing, and it spares SAM output a pass adding 33 to every
 * value (~5% of a region query). Decode only; paf's SAM output uses it in place of
 * `qualrans` where it makes the quality values (dataset/sam-decode.ts).
 */
export const qualRansTextCodec: Codec = {
  ...qualRansCodec,
  description: 'quality values as SAM text (value + 33), decoding only',
  encode: () => {
    throw new InvalidArgumentError('codec qualrans (SAM text variant) only decodes');
  },
  decode: (data, ctx) => decodeQualRans(data, statesOf(ctx.param), 33),
};
