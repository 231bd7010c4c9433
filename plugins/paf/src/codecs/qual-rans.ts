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

/** Scratch reused between pages (codecs run synchronously, one call at a time per thread). */
let cellBuf = new Uint16Array(0);
let outBuf = new Uint8Array(0);

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

function encode(data: Uint8Array): Uint8Array {
  const n = data.length;
  const count = new Uint32Array(256);
  for (let i = 0; i < n; i++) count[data[i]!]!++;
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
  const next = transitions(model, k);
  const nCtx = contextCount(model, k);
  // One pass: the (context, rank) cell of every value, and the cell counts.
  if (cellBuf.length < n) cellBuf = new Uint16Array(Math.max(n, cellBuf.length * 2));
  if (outBuf.length < n + 16) outBuf = new Uint8Array(Math.max(n + 16, outBuf.length * 2));
  const cells = cellBuf;
  const counts = new Uint32Array(nCtx * k), totals = new Uint32Array(nCtx);
  let st = 0;
  for (let i = 0; i < n; i++) {
    const j = st * k + rankOf[data[i]!]!;
    cells[i] = j;
    counts[j]!++;
    totals[st]!++;
    st = next[j]!;
  }
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
  // rANS codes backwards, from the last value, writing bytes from the end of the buffer down.
  const xMax = (L >> S) << 8;
  let out = outBuf, p = out.length, x = L;
  for (let i = n - 1; i >= 0; i--) {
    const j = cells[i]!;
    const f = freq[j]!;
    const limit = xMax * f;
    while (x >= limit) {
      if (p === 0) {
        const grown = new Uint8Array(out.length * 2);
        grown.set(out, out.length);
        p = out.length;
        out = outBuf = grown;
      }
      out[--p] = x & 0xff;
      x >>>= 8;
    }
    const q = (x / f) | 0;
    x = (q << S) + (x - q * f) + cum[j]!;
  }
  const body = out.length - p;
  const result = new Uint8Array(head.length + 4 + body);
  result.set(head);
  result[head.length] = x & 0xff;
  result[head.length + 1] = (x >>> 8) & 0xff;
  result[head.length + 2] = (x >>> 16) & 0xff;
  result[head.length + 3] = x >>> 24;
  result.set(out.subarray(p), head.length + 4);
  return result;
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
