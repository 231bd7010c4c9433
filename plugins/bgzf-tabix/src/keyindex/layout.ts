/**
 * The .gki object layout (docs/formats/keyindex.md): an 8-byte header, the entry blocks, the
 * top table, the metadata JSON and a fixed 56-byte trailer. Readers start from the trailer
 * (one bounded read of the object's tail usually brings trailer, metadata and top table).
 */
import { crc32 } from 'node:zlib';
import { CorruptDataError, UnsupportedError } from '@genolake/core';
import type { KeySpec } from './keys.js';

export const MAGIC = Uint8Array.from([0x47, 0x4b, 0x49, 0x01]); // "GKI\1"
export const VERSION = 1;
export const HEADER_SIZE = 8;
export const TRAILER_SIZE = 56;

/** What the metadata JSON records. */
export interface KeyIndexMeta {
  formatVersion: 1;
  spec: KeySpec;
  /** The data object the index was built from: its name then, size and CRC-32 of all its bytes. */
  data: { name: string; size: number; crc32: number };
  lines: number;
  entries: number;
  distinctKeys: number;
  blockBytes: number;
}

export interface Trailer {
  topOffset: number;
  topStored: number;
  topRaw: number;
  topCrc: number;
  metaLength: number;
  metaCrc: number;
  blockCount: number;
  entryCount: number;
}

export function encodeHeader(): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE);
  out.set(MAGIC);
  new DataView(out.buffer).setUint32(4, VERSION, true);
  return out;
}

export function encodeTrailer(t: Trailer): Uint8Array {
  const out = new Uint8Array(TRAILER_SIZE);
  const dv = new DataView(out.buffer);
  setU64(dv, 0, t.topOffset);
  dv.setUint32(8, t.topStored, true);
  dv.setUint32(12, t.topRaw, true);
  dv.setUint32(16, t.topCrc, true);
  dv.setUint32(20, t.metaLength, true);
  dv.setUint32(24, t.metaCrc, true);
  dv.setUint32(28, t.blockCount, true);
  setU64(dv, 32, t.entryCount);
  dv.setUint32(40, VERSION, true);
  dv.setUint32(44, 0, true);
  dv.setUint32(48, crc32(out.subarray(0, 48)), true);
  out.set(MAGIC, 52);
  return out;
}

/** Checks and reads the trailer, the last TRAILER_SIZE bytes of an object of `size` bytes. */
export function decodeTrailer(bytes: Uint8Array, size: number, name: string): Trailer {
  const bad = (why: string): CorruptDataError => new CorruptDataError(`${name}: not a valid key index: ${why} (trailer at byte ${size - TRAILER_SIZE})`);
  if (size < HEADER_SIZE + TRAILER_SIZE || bytes.length !== TRAILER_SIZE) throw bad(`object of ${size} bytes is too small`);
  if (!MAGIC.every((m, i) => bytes[52 + i] === m)) throw bad('bad magic');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(48, true) !== crc32(bytes.subarray(0, 48))) throw bad('trailer CRC-32 mismatch');
  const version = dv.getUint32(40, true);
  if (version !== VERSION) throw new UnsupportedError(`${name}: key index version ${version}; this build reads version ${VERSION} (rebuild the index)`);
  const t: Trailer = {
    topOffset: getU64(dv, 0),
    topStored: dv.getUint32(8, true),
    topRaw: dv.getUint32(12, true),
    topCrc: dv.getUint32(16, true),
    metaLength: dv.getUint32(20, true),
    metaCrc: dv.getUint32(24, true),
    blockCount: dv.getUint32(28, true),
    entryCount: getU64(dv, 32),
  };
  if (t.topOffset < HEADER_SIZE || t.topOffset + t.topStored + t.metaLength + TRAILER_SIZE !== size) throw bad('section sizes do not add up to the object size');
  return t;
}

export function encodeMeta(meta: KeyIndexMeta): Uint8Array {
  return Buffer.from(JSON.stringify(meta), 'utf8');
}

export function decodeMeta(bytes: Uint8Array, t: Trailer, name: string, at: number): KeyIndexMeta {
  if (crc32(bytes) !== t.metaCrc) throw new CorruptDataError(`${name}: key index metadata CRC-32 mismatch at byte ${at}`);
  let m: KeyIndexMeta;
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8')) as KeyIndexMeta;
  } catch (e) {
    throw new CorruptDataError(`${name}: key index metadata at byte ${at} is not JSON`, { cause: e });
  }
  if (m.formatVersion !== VERSION || typeof m.spec?.column !== 'number' || typeof m.data?.size !== 'number') {
    throw new CorruptDataError(`${name}: key index metadata at byte ${at} lacks required fields`);
  }
  return m;
}

function setU64(dv: DataView, at: number, v: number): void {
  dv.setUint32(at, v % 2 ** 32, true);
  dv.setUint32(at + 4, Math.floor(v / 2 ** 32), true);
}

function getU64(dv: DataView, at: number): number {
  return dv.getUint32(at + 4, true) * 2 ** 32 + dv.getUint32(at, true);
}
