/**
 * `qualcm`: quality values through an adaptive context model and a range coder. The bytes of
 * a page are mapped to the K distinct values they use; each value is coded as log2(K) bits
 * down a binary tree whose probabilities depend on the two previous values and on how long
 * the previous value has repeated (NovaSeq's 4-level qualities are long runs of F). With many
 * distinct values (K > 64) the context is the previous value only, keeping the tables small.
 * Read boundaries are not needed: contexts simply run on across reads.
 *
 * Stream: varint n, byte K, K symbol bytes, range-coded body.
 */
import { CorruptDataError, InvalidArgumentError, type Codec } from '@genolake/core';
import { BitModels, RangeDecoder, RangeEncoder } from './range-coder.js';
import { concat, putVarint, VarintReader } from './varint.js';

const RUN_CAP = 3;

interface Shape {
  bits: number;
  /** Contexts: order 2 with a run bucket, or order 1. */
  order2: boolean;
  size: number;
}

function shape(k: number): Shape {
  let bits = 1;
  while (1 << bits < k) bits++;
  const order2 = k <= 64;
  const contexts = order2 ? k * k * (RUN_CAP + 1) : k;
  return { bits, order2, size: contexts << bits };
}

export const qualModelCodec: Codec = {
  id: 'qualcm',
  description: 'quality values: order-2 adaptive context model + range coder',
  validate(input, param) {
    if (input !== 'bytes' && input !== 'u8') throw new InvalidArgumentError(`codec qualcm takes bytes, not ${input}`);
    if (param !== undefined) throw new InvalidArgumentError(`codec qualcm takes no parameter, got '${param}'`);
  },
  outputType: () => 'bytes',
  encode(data) {
    const seen = new Uint8Array(256);
    for (let i = 0; i < data.length; i++) seen[data[i]!] = 1;
    const symbols: number[] = [];
    const index = new Uint8Array(256);
    for (let v = 0; v < 256; v++) if (seen[v]) (index[v] = symbols.length), symbols.push(v);
    const k = Math.max(symbols.length, 1);
    const head: number[] = [];
    putVarint(head, data.length);
    head.push(symbols.length & 0xff, ...symbols);
    if (data.length === 0) return Uint8Array.from(head);
    const s = shape(k);
    const m = new BitModels(s.size);
    const enc = new RangeEncoder(data.length >> 1);
    let q1 = 0, q2 = 0, run = 0;
    for (let i = 0; i < data.length; i++) {
      const q = index[data[i]!]!;
      const ctx = s.order2 ? ((q1 * k + q2) * (RUN_CAP + 1) + run) : q1;
      enc.symbol(m, ctx << s.bits, s.bits, q);
      run = q === q1 ? (run < RUN_CAP ? run + 1 : RUN_CAP) : 0;
      q2 = q1;
      q1 = q;
    }
    return concat(head, enc.finish());
  },
  decode(data) {
    const r = new VarintReader(data, 0, 'qualcm');
    const n = r.read();
    let k = r.byte();
    if (k === 0 && n > 0) k = 256;
    const symbols = new Uint8Array(Math.max(k, 1));
    for (let i = 0; i < k; i++) symbols[i] = r.byte();
    if (n > data.length * 4096) throw new CorruptDataError(`codec qualcm: ${data.length} bytes declare ${n} values`);
    const out = new Uint8Array(n);
    if (n === 0) return out;
    const s = shape(k);
    const m = new BitModels(s.size);
    const dec = new RangeDecoder(data, r.pos);
    let q1 = 0, q2 = 0, run = 0;
    for (let i = 0; i < n; i++) {
      const ctx = s.order2 ? ((q1 * k + q2) * (RUN_CAP + 1) + run) : q1;
      const q = dec.symbol(m, ctx << s.bits, s.bits);
      if (q >= k) throw new CorruptDataError(`codec qualcm: value ${q} outside the ${k} listed`);
      out[i] = symbols[q]!;
      run = q === q1 ? (run < RUN_CAP ? run + 1 : RUN_CAP) : 0;
      q2 = q1;
      q1 = q;
    }
    return out;
  },
};
