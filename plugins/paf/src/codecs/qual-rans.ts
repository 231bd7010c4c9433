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
 * Contexts run on across reads, so no record boundaries are needed. Decoding finds the rank by
 * walking the context's cumulative frequencies from the most common rank, which for skewed
 * qualities ends at the first compare (more than 8 values: a binary search).
 *
 * Stream: varint n; byte K (0 = 256); K value bytes by rank; byte model; varint contexts used;
 * per used context: varint (id - previous id - 1), K-1 varint frequencies (the last is 2^14
 * minus their sum); 4 bytes final state (little-endian); the rANS bytes. K <= 1: no more.
 */
import { CorruptDataError, InvalidArgumentError, type Codec } from '@genolake/core';
import { putVarint, VarintReader } from './varint.js';

/** Frequencies sum to M = 2^S. */
const S = 14;
const M = 1 << S;
/** State lives in [L, 256 L): below 2^30, so V8 keeps it a small integer. */
const L = 1 << 22;
const RUN_MAX = 7;

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
 * then the rANS pass backwards. The rANS pass is one chain of dependent divisions, so it is
 * latency-bound; `encodeQualPages` runs two pages' chains in one loop (same bytes per page).
 * Each hot loop is a function of its own: V8 compiles a long loop on the fly (OSR), and code
 * after it that had not run yet then fell back to the interpreter on every later call.
 */

/** Scratch of one coding lane, reused between pages (codecs run synchronously per thread). */
interface Lane {
  cells: Uint16Array;
  out: Uint8Array;
}
const lanes: [Lane, Lane] = [{ cells: new Uint16Array(0), out: new Uint8Array(0) }, { cells: new Uint16Array(0), out: new Uint8Array(0) }];

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
/** Where the last rANS loop stopped: values left, state and first byte written, per lane. */
const at = new Int32Array(6);

/** rANS steps for values at[0]-1 down to 0 of one page, from state at[1] with output below byte at[2]. */
function code(p: Prepared): void {
  const { cells, freq, cum, out } = p;
  let i = at[0]!, x = at[1]!, o = at[2]!;
  while (i > 0) {
    const j = cells[--i]!;
    const f = freq[j]!;
    const limit = X_MAX * f;
    while (x >= limit) {
      out[--o] = x & 0xff;
      x >>>= 8;
    }
    // x + q (M - f) + cum = (q << S) + (x mod f) + cum: the same state, fewer dependent steps.
    const q = (x / f) | 0;
    x = x + q * (M - f) + cum[j]!;
  }
  at[0] = i;
  at[1] = x;
  at[2] = o;
}

/** Two pages' rANS steps in one loop, until either runs out: two independent chains keep the divider busy. */
function codePair(a: Prepared, b: Prepared): void {
  const ca = a.cells, fa = a.freq, ua = a.cum, oa = a.out;
  const cb = b.cells, fb = b.freq, ub = b.cum, ob = b.out;
  let ia = at[0]!, xa = at[1]!, pa = at[2]!, ib = at[3]!, xb = at[4]!, pb = at[5]!;
  while (ia > 0 && ib > 0) {
    const ja = ca[--ia]!, jb = cb[--ib]!;
    const ga = fa[ja]!, gb = fb[jb]!;
    const la = X_MAX * ga, lb = X_MAX * gb;
    while (xa >= la) {
      oa[--pa] = xa & 0xff;
      xa >>>= 8;
    }
    while (xb >= lb) {
      ob[--pb] = xb & 0xff;
      xb >>>= 8;
    }
    const qa = (xa / ga) | 0, qb = (xb / gb) | 0;
    xa = xa + qa * (M - ga) + ua[ja]!;
    xb = xb + qb * (M - gb) + ub[jb]!;
  }
  at.set([ia, xa, pa, ib, xb, pb]);
}

/** The stream: header, final state (little-endian), the rANS bytes from `o` on. */
function assemble(p: Prepared, x: number, o: number): Uint8Array {
  const { head, out } = p;
  const result = new Uint8Array(head.length + 4 + out.length - o);
  result.set(head);
  result[head.length] = x & 0xff;
  result[head.length + 1] = (x >>> 8) & 0xff;
  result[head.length + 2] = (x >>> 16) & 0xff;
  result[head.length + 3] = x >>> 24;
  result.set(out.subarray(o), head.length + 4);
  return result;
}

function encodeOne(p: Prepared): Uint8Array {
  at[0] = p.n;
  at[1] = L;
  at[2] = p.out.length;
  code(p);
  return assemble(p, at[1]!, at[2]!);
}

function encode(data: Uint8Array): Uint8Array {
  const p = prepare(data, lanes[0]);
  return p instanceof Uint8Array ? p : encodeOne(p);
}

function encodePair(a: Prepared, b: Prepared): [Uint8Array, Uint8Array] {
  at.set([a.n, L, a.out.length, b.n, L, b.out.length]);
  codePair(a, b);
  const rest = at.slice(3);
  code(a);
  const ra = assemble(a, at[1]!, at[2]!);
  at.set(rest);
  code(b);
  return [ra, assemble(b, at[1]!, at[2]!)];
}

/** `qualrans` streams of several pages, each byte for byte what the codec's encode gives. */
export function encodeQualPages(pages: readonly Uint8Array[]): Uint8Array[] {
  const res: Uint8Array[] = new Array<Uint8Array>(pages.length);
  let held: Prepared | undefined, heldAt = 0;
  for (let i = 0; i < pages.length; i++) {
    const p = prepare(pages[i]!, lanes[held ? 1 : 0]);
    if (p instanceof Uint8Array) res[i] = p;
    else if (!held) (held = p), (heldAt = i);
    else {
      [res[heldAt], res[i]] = encodePair(held, p);
      held = undefined;
    }
  }
  if (held) res[heldAt] = encodeOne(held);
  return res;
}

function decode(data: Uint8Array): Uint8Array {
  const r = new VarintReader(data, 0, 'qualrans');
  const n = r.read();
  let k = r.byte();
  if (k === 0 && n > 0) k = 256;
  if (n > data.length * 8192 + 1_000_000) throw new CorruptDataError(`codec qualrans: ${data.length} bytes declare ${n} values`);
  const values = new Uint8Array(Math.max(k, 1));
  for (let i = 0; i < k; i++) values[i] = r.byte();
  const out = new Uint8Array(n);
  if (n === 0) return out;
  if (k === 1) return out.fill(values[0]!);
  const model = r.byte();
  if (model > 2 || modelFor(k) !== model) throw new CorruptDataError(`codec qualrans: model ${model} for ${k} values`);
  const nCtx = contextCount(model, k);
  // Up to 4 values: stride 5 whatever k, so the branch-free search below reads 3 thresholds.
  const w = k <= 4 ? 5 : k + 1;
  // Cumulative frequencies per context, k + 1 entries; unused contexts hold M everywhere so
  // that a stream reaching one decodes a zero frequency and is rejected.
  const cum = new Uint32Array(nCtx * w).fill(M);
  const used = r.read();
  if (used > nCtx) throw new CorruptDataError(`codec qualrans: ${used} contexts of ${nCtx}`);
  let c = -1;
  for (let u = 0; u < used; u++) {
    c += r.read() + 1;
    if (c >= nCtx) throw new CorruptDataError(`codec qualrans: context ${c} of ${nCtx}`);
    const at = c * w;
    let acc = 0;
    for (let s = 0; s < k; s++) {
      cum[at + s] = acc;
      acc += s < k - 1 ? r.read() : M - acc;
      if (acc > M) throw new CorruptDataError(`codec qualrans: frequencies of context ${c} exceed ${M}`);
    }
  }
  let p = r.pos;
  if (p + 4 > data.length) throw new CorruptDataError('codec qualrans: truncated state');
  let x = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24);
  p += 4;
  const end = data.length;
  const mask = M - 1;
  const next = transitions(model, k);
  let st = 0;
  if (k <= 4) {
    // Rank = how many of the 3 upper bounds the slot reaches, without branches: a
    // mispredicted branch per rarer value cost more than the three compares.
    for (let i = 0; i < n; i++) {
      const b = st * 5;
      const slot = x & mask;
      const s = ((cum[b + 1]! - 1 - slot) >>> 31) + ((cum[b + 2]! - 1 - slot) >>> 31) + ((cum[b + 3]! - 1 - slot) >>> 31);
      const lo = cum[b + s]!, f = cum[b + s + 1]! - lo;
      if (f === 0) throw new CorruptDataError(`codec qualrans: value ${i} in an unlisted context`);
      x = f * (x >>> S) + slot - lo;
      while (x < L) x = (x << 8) | (p < end ? data[p++]! : 0);
      out[i] = values[s]!;
      st = next[st * k + s]!;
    }
  } else if (k <= 8) {
    for (let i = 0; i < n; i++) {
      const b = st * w;
      const slot = x & mask;
      let s = 0;
      while (slot >= cum[b + s + 1]!) s++;
      const lo = cum[b + s]!, f = cum[b + s + 1]! - lo;
      if (f === 0) throw new CorruptDataError(`codec qualrans: value ${i} in an unlisted context`);
      x = f * (x >>> S) + slot - lo;
      while (x < L) x = (x << 8) | (p < end ? data[p++]! : 0);
      out[i] = values[s]!;
      st = next[st * k + s]!;
    }
  } else {
    // Many values: binary search for the last rank whose lower bound the slot reaches.
    for (let i = 0; i < n; i++) {
      const b = st * w;
      const slot = x & mask;
      let s = 0, hi = k;
      while (hi - s > 1) {
        const mid = (s + hi) >> 1;
        if (cum[b + mid]! <= slot) s = mid;
        else hi = mid;
      }
      const lo = cum[b + s]!, f = cum[b + s + 1]! - lo;
      if (f === 0) throw new CorruptDataError(`codec qualrans: value ${i} in an unlisted context`);
      x = f * (x >>> S) + slot - lo;
      while (x < L) x = (x << 8) | (p < end ? data[p++]! : 0);
      out[i] = values[s]!;
      st = next[st * k + s]!;
    }
  }
  if (p !== end || x !== L) throw new CorruptDataError(`codec qualrans: stream ends at byte ${p} of ${end} in state ${x}`);
  return out;
}

export const qualRansCodec: Codec = {
  id: 'qualrans',
  description: 'quality values: static context model (previous values, run length) + rANS',
  validate(input, param) {
    if (input !== 'bytes' && input !== 'u8') throw new InvalidArgumentError(`codec qualrans takes bytes, not ${input}`);
    if (param !== undefined) throw new InvalidArgumentError(`codec qualrans takes no parameter, got '${param}'`);
  },
  outputType: () => 'bytes',
  encode: (data) => encode(data),
  decode: (data) => decode(data),
};
