/**
 * Facts about ElementTypes shared by the numeric codecs: width, signedness, and aligned
 * typed-array views over a byte stream of little-endian elements.
 */
import { CorruptDataError, InvalidArgumentError, UnsupportedError } from '../errors.js';
import type { ElementType } from './types.js';

export const ELEMENT_TYPES: readonly ElementType[] = [
  'bytes', 'u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'u64', 'i64', 'f32', 'f64',
];

const WIDTH: Record<ElementType, number> = {
  bytes: 1, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, f32: 4, f64: 8,
};

/** Bytes per element ('bytes' counts as 1). */
export function elementWidth(type: ElementType): number {
  const w = WIDTH[type];
  if (w === undefined) throw new InvalidArgumentError(`unknown element type "${String(type)}"`);
  return w;
}

export function isElementType(s: string): s is ElementType {
  return Object.prototype.hasOwnProperty.call(WIDTH, s);
}

export function isIntegerType(type: ElementType): boolean {
  return type !== 'bytes' && type !== 'f32' && type !== 'f64';
}

export function isSignedType(type: ElementType): boolean {
  return type === 'i8' || type === 'i16' || type === 'i32' || type === 'i64';
}

export function isUnsignedType(type: ElementType): boolean {
  return type === 'u8' || type === 'u16' || type === 'u32' || type === 'u64';
}

/** The unsigned integer type of the same width as an integer type (i32 -> u32). */
export function unsignedOf(type: ElementType): ElementType {
  switch (type) {
    case 'i8': case 'u8': return 'u8';
    case 'i16': case 'u16': return 'u16';
    case 'i32': case 'u32': return 'u32';
    case 'i64': case 'u64': return 'u64';
    default: throw new InvalidArgumentError(`${type} is not an integer element type`);
  }
}

// Typed arrays use the platform byte order; streams are little-endian by contract.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Throws when `data` is not a whole number of `type` elements. `corrupt` picks the error:
 * on decode a ragged length means damaged bytes, on encode a caller mistake.
 */
export function requireWholeElements(data: Uint8Array, type: ElementType, codecId: string, corrupt: boolean): void {
  const w = elementWidth(type);
  if (data.length % w === 0) return;
  const msg = `codec ${codecId}: ${data.length} bytes is not a whole number of ${type} elements (${w} bytes each)`;
  throw corrupt ? new CorruptDataError(msg) : new InvalidArgumentError(msg);
}

/** `data` itself when its offset is aligned to `width`, else an aligned copy (typed views need alignment). */
export function aligned(data: Uint8Array, width: number): Uint8Array {
  if (!LITTLE_ENDIAN) throw new UnsupportedError('genolake numeric codecs need a little-endian platform');
  return data.byteOffset % width === 0 ? data : data.slice();
}

/**
 * An unsigned lane view of little-endian elements. 64-bit elements are viewed as pairs of
 * u32 words (low word first), which lets delta and varint work without BigInt allocation.
 */
export function laneView(data: Uint8Array, width: number): Uint8Array | Uint16Array | Uint32Array {
  const a = aligned(data, width === 8 ? 4 : width);
  switch (width) {
    case 1: return a;
    case 2: return new Uint16Array(a.buffer, a.byteOffset, a.length >>> 1);
    default: return new Uint32Array(a.buffer, a.byteOffset, a.length >>> 2);
  }
}
