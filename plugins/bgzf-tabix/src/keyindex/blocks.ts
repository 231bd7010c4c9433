/**
 * Entry blocks and the top table of a .gki object. A block holds consecutive entries in index
 * order, front-coded against the previous key, raw-deflated, with a CRC-32 of the stored bytes
 * in the top table. The top table has one row per block: its first and last keys, sizes, CRC
 * and entry count, so a lookup picks the (usually one) block whose key range holds the key.
 */
import { deflateRawSync, inflateRawSync, crc32 } from 'node:zlib';
import { CorruptDataError } from '@genolake/core';
import { VarintReader, VarintWriter } from './varint.js';

/** Target uncompressed bytes per block (a block ends at the first entry past it). */
export const DEFAULT_BLOCK_BYTES = 32 * 1024;

export interface BlockInfo {
  first: Uint8Array;
  last: Uint8Array;
  /** Byte offset in the object. */
  offset: number;
  stored: number;
  raw: number;
  crc: number;
  count: number;
}

function sharedPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Accumulates entries (in index order) into blocks; `take()` hands out finished blocks. */
export class BlockEncoder {
  private readonly w = new VarintWriter();
  private prevKey: Uint8Array = new Uint8Array(0);
  private prevVoffset = -1;
  private first: Uint8Array | undefined;
  private count = 0;
  private offset: number;
  private readonly done: Uint8Array[] = [];
  readonly blocks: BlockInfo[] = [];

  constructor(
    startOffset: number,
    private readonly target = DEFAULT_BLOCK_BYTES,
  ) {
    this.offset = startOffset;
  }

  /** Adds an entry; returns false (and adds nothing) when it repeats the previous one. */
  add(key: Uint8Array, voffset: number, span: number): boolean {
    const sameKey = this.count > 0 && key.length === this.prevKey.length && sharedPrefix(key, this.prevKey) === key.length;
    if (sameKey && voffset === this.prevVoffset) return false;
    if (this.count === 0) {
      this.first = key.slice();
      this.prevKey = this.first;
    }
    const shared = this.count === 0 ? 0 : sharedPrefix(key, this.prevKey);
    this.w.uv(shared);
    this.w.uv(key.length - shared);
    this.w.bytes(key.subarray(shared));
    this.w.uv(sameKey ? voffset - this.prevVoffset : voffset);
    this.w.uv(span);
    if (!sameKey && this.count > 0) this.prevKey = key.slice();
    this.prevVoffset = voffset;
    this.count++;
    if (this.w.length >= this.target) this.finish();
    return true;
  }

  /** Ends the current block (if any). */
  finish(): void {
    if (this.count === 0) return;
    const raw = this.w.view();
    const stored = deflateRawSync(raw, { level: 6 });
    this.blocks.push({ first: this.first!, last: this.prevKey, offset: this.offset, stored: stored.length, raw: raw.length, crc: crc32(stored), count: this.count });
    this.offset += stored.length;
    this.done.push(stored);
    this.w.reset();
    this.count = 0;
    this.prevVoffset = -1;
  }

  /** Finished blocks not yet taken, in order. */
  take(): Uint8Array[] {
    return this.done.splice(0);
  }

  /** Offset just past the last finished block. */
  get end(): number {
    return this.offset;
  }
}

/** Decodes a stored block into entries; each key is a fresh copy only when it changes. */
export function decodeBlock(stored: Uint8Array, info: BlockInfo, name: string, index: number): { keys: Uint8Array[]; voffsets: number[]; spans: number[] } {
  const where = `entry block ${index} at byte ${info.offset}`;
  if (stored.length !== info.stored || crc32(stored) !== info.crc) throw new CorruptDataError(`${name}: CRC-32 mismatch in ${where}`);
  let raw: Uint8Array;
  try {
    raw = inflateRawSync(stored);
  } catch (e) {
    throw new CorruptDataError(`${name}: cannot inflate ${where}`, { cause: e });
  }
  if (raw.length !== info.raw) throw new CorruptDataError(`${name}: ${where} inflates to ${raw.length} bytes, the top table says ${info.raw}`);
  const r = new VarintReader(raw, name, where);
  const keys: Uint8Array[] = [];
  const voffsets: number[] = [];
  const spans: number[] = [];
  let prev: Uint8Array = new Uint8Array(0);
  let prevV = 0;
  for (let i = 0; i < info.count; i++) {
    const shared = r.uv();
    const suffix = r.uv();
    if (shared > prev.length) throw r.fail(`shared prefix ${shared} longer than the previous key`);
    let key = prev;
    const same = shared === prev.length && suffix === 0 && i > 0;
    if (!same) {
      key = new Uint8Array(shared + suffix);
      key.set(prev.subarray(0, shared));
      key.set(r.bytes(suffix), shared);
    }
    const v = r.uv();
    prevV = same ? prevV + v : v;
    keys.push(key);
    voffsets.push(prevV);
    spans.push(r.uv());
    prev = key;
  }
  if (!r.done) throw r.fail(`bytes left after ${info.count} entries`);
  return { keys, voffsets, spans };
}

/** The top table, deflated: one row per block, keys front-coded. */
export function encodeTop(blocks: BlockInfo[]): { stored: Uint8Array; raw: number; crc: number } {
  const w = new VarintWriter();
  let prev: Uint8Array = new Uint8Array(0);
  for (const b of blocks) {
    for (const k of [b.first, b.last]) {
      const s = sharedPrefix(k, prev);
      w.uv(s);
      w.uv(k.length - s);
      w.bytes(k.subarray(s));
      prev = k;
    }
    w.uv(b.stored);
    w.uv(b.raw);
    w.uv(b.crc);
    w.uv(b.count);
  }
  const raw = w.view();
  const stored = deflateRawSync(raw, { level: 6 });
  return { stored, raw: raw.length, crc: crc32(stored) };
}

export function decodeTop(stored: Uint8Array, expect: { raw: number; crc: number; blocks: number; entries: number; firstOffset: number; endOffset: number }, name: string, at: number): BlockInfo[] {
  const where = `top table at byte ${at}`;
  if (crc32(stored) !== expect.crc) throw new CorruptDataError(`${name}: CRC-32 mismatch in ${where}`);
  let raw: Uint8Array;
  try {
    raw = inflateRawSync(stored);
  } catch (e) {
    throw new CorruptDataError(`${name}: cannot inflate ${where}`, { cause: e });
  }
  if (raw.length !== expect.raw) throw new CorruptDataError(`${name}: ${where} inflates to ${raw.length} bytes, the trailer says ${expect.raw}`);
  const r = new VarintReader(raw, name, where);
  const out: BlockInfo[] = [];
  let prev: Uint8Array = new Uint8Array(0);
  let offset = expect.firstOffset;
  let entries = 0;
  const key = (): Uint8Array => {
    const s = r.uv();
    const n = r.uv();
    if (s > prev.length) throw r.fail('bad shared prefix');
    const k = new Uint8Array(s + n);
    k.set(prev.subarray(0, s));
    k.set(r.bytes(n), s);
    prev = k;
    return k;
  };
  for (let i = 0; i < expect.blocks; i++) {
    const first = key();
    const last = key();
    const b: BlockInfo = { first, last, offset, stored: r.uv(), raw: r.uv(), crc: r.uv(), count: r.uv() };
    offset += b.stored;
    entries += b.count;
    out.push(b);
  }
  if (!r.done) throw r.fail('bytes left after the last block row');
  if (offset !== expect.endOffset || entries !== expect.entries) {
    throw new CorruptDataError(`${name}: ${where}: blocks cover bytes up to ${offset} and ${entries} entries, the trailer says ${expect.endOffset} and ${expect.entries}`);
  }
  return out;
}
