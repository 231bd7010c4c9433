/**
 * zigzag: maps two's-complement integers to unsigned ones of the same width so that small
 * magnitudes stay small (0,-1,1,-2 -> 0,1,2,3), ready for varint. Unsigned input is read as
 * two's complement too, which makes `delta|zigzag|varint` work on unsorted unsigned columns
 * (a wrapped u32 difference reinterpreted as i32 is the true difference). Output: uN.
 */
import { InvalidArgumentError } from '../../errors.js';
import { aligned, elementWidth, isIntegerType, requireWholeElements, unsignedOf } from '../element-type.js';
import { noParam } from '../params.js';
import type { Codec, ElementType } from '../types.js';

function signedView(a: Uint8Array, width: number): Int8Array | Int16Array | Int32Array {
  if (width === 1) return new Int8Array(a.buffer, a.byteOffset, a.length);
  if (width === 2) return new Int16Array(a.buffer, a.byteOffset, a.length >>> 1);
  return new Int32Array(a.buffer, a.byteOffset, a.length >>> 2);
}

function encode(data: Uint8Array, type: ElementType): Uint8Array {
  requireWholeElements(data, type, 'zigzag', false);
  const width = elementWidth(type);
  const src = aligned(data, Math.min(width, 4));
  const out = new Uint8Array(data.length);
  if (width === 8) {
    const s = new Uint32Array(src.buffer, src.byteOffset, src.length >>> 2);
    const d = new Uint32Array(out.buffer);
    for (let i = 0; i < s.length; i += 2) {
      const lo = s[i]!;
      const hi = s[i + 1]!;
      const sign = hi >> 31; // 0 or -1: the x >> 63 of the 64-bit formula
      d[i] = (lo << 1) ^ sign;
      d[i + 1] = ((hi << 1) | (lo >>> 31)) ^ sign;
    }
    return out;
  }
  const s = signedView(src, width);
  const d = signedView(out, width);
  const top = width * 8 - 1;
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    d[i] = (v << 1) ^ (v >> top);
  }
  return out;
}

function decode(data: Uint8Array, type: ElementType): Uint8Array {
  requireWholeElements(data, type, 'zigzag', true);
  const width = elementWidth(type);
  const src = aligned(data, Math.min(width, 4));
  const out = new Uint8Array(data.length);
  if (width === 8) {
    const s = new Uint32Array(src.buffer, src.byteOffset, src.length >>> 2);
    const d = new Uint32Array(out.buffer);
    for (let i = 0; i < s.length; i += 2) {
      const lo = s[i]!;
      const hi = s[i + 1]!;
      const m = -(lo & 1);
      d[i] = ((lo >>> 1) | (hi << 31)) ^ m;
      d[i + 1] = (hi >>> 1) ^ m;
    }
    return out;
  }
  // Read the stored unsigned value through an unsigned view so >>> sees only `width` bits.
  const s = width === 1 ? src : width === 2 ? new Uint16Array(src.buffer, src.byteOffset, src.length >>> 1)
    : new Uint32Array(src.buffer, src.byteOffset, src.length >>> 2);
  const d = signedView(out, width);
  for (let i = 0; i < s.length; i++) {
    const u = s[i]!;
    d[i] = (u >>> 1) ^ -(u & 1);
  }
  return out;
}

export const zigzagCodec: Codec = {
  id: 'zigzag',
  description: 'signed integers to unsigned of the same width, small magnitudes first',
  validate(input, param) {
    noParam('zigzag', param);
    if (!isIntegerType(input)) throw new InvalidArgumentError(`codec zigzag cannot take ${input} input (integer types only)`);
  },
  outputType: (input) => unsignedOf(input),
  encode: (data, ctx) => encode(data, ctx.type),
  decode: (data, ctx) => decode(data, ctx.type),
};
