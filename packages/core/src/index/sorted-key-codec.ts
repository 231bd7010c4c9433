/**
 * Byte layout of a sorted-key index object (docs/formats/dataset.md, "Sorted-key index").
 * All integers little-endian.
 *
 *   0   "GLKI"            magic
 *   4   u16 version = 1
 *   6   u8  key type      1 = float64, 2 = int64 (bigint), 3 = UTF-8 string
 *   7   u8  reserved = 0
 *   8   u32 sampleEvery
 *   12  u64 records       total entries N
 *   20  u32 chunks        C
 *   24  u32 runs          R
 *   28  u32 samples       S = ceil(N / sampleEvery) + (N > 0 ? 1 : 0)
 *   32  C × (u32 byteLength, UTF-8 chunk key)
 *       R × (u32 chunk index, u32 first ordinal, u32 length)
 *       S × key: f64 | i64 | (u32 byteLength, UTF-8); keys of entries 0, k, 2k, ... then entry N-1
 *   end u32 CRC-32C of every byte before it
 */
import { CorruptDataError } from '../errors.js';
import { crc32c } from '../util/crc32c.js';
import { compareKeys } from './key-order.js';
import type { IndexKey } from './types.js';

export const SORTED_KEY_MAGIC = 'GLKI';
export const SORTED_KEY_FORMAT_VERSION = 1;

export type SortedKeyType = 'number' | 'bigint' | 'string';
const TYPE_CODES: Record<SortedKeyType, number> = { number: 1, bigint: 2, string: 3 };

/** Everything a sorted-key index holds; runs are maximal stretches of one chunk with consecutive ordinals. */
export interface SortedKeyData {
  keyType: SortedKeyType;
  sampleEvery: number;
  records: number;
  chunks: string[];
  runChunk: Uint32Array;
  runFirst: Uint32Array;
  runLength: Uint32Array;
  samples: IndexKey[];
}

const HEADER = 32;

export function encodeSortedKey(d: SortedKeyData): Uint8Array {
  const enc = new TextEncoder();
  const chunkBytes = d.chunks.map((c) => enc.encode(c));
  const sampleBytes = d.keyType === 'string' ? d.samples.map((s) => enc.encode(s as string)) : [];
  let size = HEADER + 12 * d.runChunk.length + 4;
  for (const b of chunkBytes) size += 4 + b.byteLength;
  if (d.keyType === 'string') for (const b of sampleBytes) size += 4 + b.byteLength;
  else size += 8 * d.samples.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out.set(enc.encode(SORTED_KEY_MAGIC), 0);
  v.setUint16(4, SORTED_KEY_FORMAT_VERSION, true);
  v.setUint8(6, TYPE_CODES[d.keyType]);
  v.setUint32(8, d.sampleEvery, true);
  v.setBigUint64(12, BigInt(d.records), true);
  v.setUint32(20, d.chunks.length, true);
  v.setUint32(24, d.runChunk.length, true);
  v.setUint32(28, d.samples.length, true);
  let o = HEADER;
  for (const b of chunkBytes) {
    v.setUint32(o, b.byteLength, true);
    out.set(b, o + 4);
    o += 4 + b.byteLength;
  }
  for (let r = 0; r < d.runChunk.length; r++, o += 12) {
    v.setUint32(o, d.runChunk[r]!, true);
    v.setUint32(o + 4, d.runFirst[r]!, true);
    v.setUint32(o + 8, d.runLength[r]!, true);
  }
  for (let i = 0; i < d.samples.length; i++) {
    if (d.keyType === 'number') v.setFloat64(o, d.samples[i] as number, true);
    else if (d.keyType === 'bigint') v.setBigInt64(o, d.samples[i] as bigint, true);
    else {
      const b = sampleBytes[i]!;
      v.setUint32(o, b.byteLength, true);
      out.set(b, o + 4);
      o += 4 + b.byteLength;
      continue;
    }
    o += 8;
  }
  v.setUint32(o, crc32c(out.subarray(0, o)), true);
  return out;
}

/** Parses and checks an index object; anything inconsistent is CorruptDataError naming `name`. */
export function decodeSortedKey(bytes: Uint8Array, name: string): SortedKeyData {
  const bad = (what: string, cause?: unknown): never => {
    throw new CorruptDataError(`sorted-key index ${name}: ${what}`, cause === undefined ? undefined : { cause });
  };
  if (bytes.byteLength < HEADER + 4) bad(`${bytes.byteLength} bytes is too short`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== SORTED_KEY_MAGIC) bad('bad magic (not a sorted-key index)');
  const end = bytes.byteLength - 4;
  const want = v.getUint32(end, true);
  const got = crc32c(bytes.subarray(0, end));
  if (want !== got) bad(`CRC-32C mismatch (stored ${want.toString(16)}, computed ${got.toString(16)})`);
  const version = v.getUint16(4, true);
  if (version !== SORTED_KEY_FORMAT_VERSION) bad(`unsupported layout version ${version}`);
  const keyType = (Object.keys(TYPE_CODES) as SortedKeyType[]).find((k) => TYPE_CODES[k] === v.getUint8(6));
  if (!keyType) bad(`unknown key type ${v.getUint8(6)}`);
  const sampleEvery = v.getUint32(8, true);
  const records = Number(v.getBigUint64(12, true));
  const nChunks = v.getUint32(20, true);
  const nRuns = v.getUint32(24, true);
  const nSamples = v.getUint32(28, true);
  if (sampleEvery < 1) bad('sampleEvery is 0');
  if (!Number.isSafeInteger(records)) bad(`record count ${records} is too large`);
  if (nSamples !== Math.ceil(records / sampleEvery) + (records > 0 ? 1 : 0)) bad(`${nSamples} samples for ${records} records every ${sampleEvery}`);
  const dec = new TextDecoder('utf-8', { fatal: true });
  let o = HEADER;
  const need = (n: number): void => {
    if (o + n > end) bad(`truncated at byte ${o}`);
  };
  const str = (): string => {
    need(4);
    const len = v.getUint32(o, true);
    need(4 + len);
    let s = '';
    try {
      s = dec.decode(bytes.subarray(o + 4, o + 4 + len));
    } catch (e) {
      bad(`bad UTF-8 at byte ${o}`, e);
    }
    o += 4 + len;
    return s;
  };
  const chunks: string[] = [];
  for (let i = 0; i < nChunks; i++) chunks.push(str());
  need(12 * nRuns);
  const runChunk = new Uint32Array(nRuns);
  const runFirst = new Uint32Array(nRuns);
  const runLength = new Uint32Array(nRuns);
  let total = 0;
  for (let r = 0; r < nRuns; r++, o += 12) {
    runChunk[r] = v.getUint32(o, true);
    runFirst[r] = v.getUint32(o + 4, true);
    runLength[r] = v.getUint32(o + 8, true);
    if (runChunk[r]! >= nChunks) bad(`run ${r} names chunk ${runChunk[r]} of ${nChunks}`);
    if (runLength[r] === 0) bad(`run ${r} is empty`);
    total += runLength[r]!;
  }
  if (total !== records) bad(`runs cover ${total} records, header says ${records}`);
  const samples: IndexKey[] = [];
  for (let i = 0; i < nSamples; i++) {
    if (keyType === 'string') samples.push(str());
    else {
      need(8);
      samples.push(keyType === 'number' ? v.getFloat64(o, true) : v.getBigInt64(o, true));
      o += 8;
    }
    if (i > 0 && !(compareKeys(samples[i - 1]!, samples[i]!) <= 0)) bad(`sampled keys out of order at sample ${i}`);
  }
  if (o !== end) bad(`${end - o} trailing bytes`);
  return { keyType: keyType!, sampleEvery, records, chunks, runChunk, runFirst, runLength, samples };
}
