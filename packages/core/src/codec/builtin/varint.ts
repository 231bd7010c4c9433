/**
 * varint: unsigned LEB128 of u8..u64 elements (7 bits a byte, low group first, high bit
 * set on all but the last byte). Output is 'bytes'; decoding reads back into the element
 * type recorded in the pipeline, and rejects truncated, over-long or out-of-range values.
 * Both directions size the output in a first pass so nothing is over-allocated; 64-bit
 * values are handled as (lo, hi) u32 words, with no BigInt per element.
 */
import { CorruptDataError, InvalidArgumentError } from '../../errors.js';
import { elementWidth, isSignedType, isUnsignedType, laneView, requireWholeElements } from '../element-type.js';
import { noParam } from '../params.js';
import type { Codec, ElementType } from '../types.js';

function size32(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

function encode(data: Uint8Array, type: ElementType): Uint8Array {
  requireWholeElements(data, type, 'varint', false);
  const width = elementWidth(type);
  const src = laneView(data, width);
  const n = src.length;
  let total = 0;
  if (width === 8) {
    for (let i = 0; i < n; i += 2) {
      const hi = src[i + 1]!;
      if (hi === 0) total += size32(src[i]!);
      else total += Math.ceil((64 - Math.clz32(hi)) / 7); // bit length / 7
    }
  } else {
    for (let i = 0; i < n; i++) total += size32(src[i]!);
  }
  const out = new Uint8Array(total);
  let o = 0;
  if (width === 8) {
    for (let i = 0; i < n; i += 2) {
      let lo = src[i]!;
      let hi = src[i + 1]!;
      while (hi !== 0 || lo >= 0x80) {
        out[o++] = (lo & 0x7f) | 0x80;
        lo = ((lo >>> 7) | (hi << 25)) >>> 0;
        hi >>>= 7;
      }
      out[o++] = lo;
    }
  } else {
    // Unrolled by size: most values in real columns take one or two bytes.
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      if (v < 0x80) {
        out[o++] = v;
      } else if (v < 0x4000) {
        out[o++] = v | 0x80;
        out[o++] = v >>> 7;
      } else if (v < 0x200000) {
        out[o++] = v | 0x80;
        out[o++] = (v >>> 7) | 0x80;
        out[o++] = v >>> 14;
      } else {
        out[o++] = v | 0x80;
        out[o++] = (v >>> 7) | 0x80;
        out[o++] = (v >>> 14) | 0x80;
        if (v < 0x10000000) {
          out[o++] = v >>> 21;
        } else {
          out[o++] = (v >>> 21) | 0x80;
          out[o++] = v >>> 28;
        }
      }
    }
  }
  return out;
}

function decode(data: Uint8Array, type: ElementType): Uint8Array {
  const width = elementWidth(type);
  const len = data.length;
  if (len > 0 && data[len - 1]! >= 0x80) {
    throw new CorruptDataError(`codec varint: truncated value at the end of ${len} bytes`);
  }
  let count = 0;
  for (let i = 0; i < len; i++) if (data[i]! < 0x80) count++;
  const out = new Uint8Array(count * width);
  const dst = laneView(out, width);
  let p = 0;
  if (width === 8) {
    for (let k = 0; k < dst.length; k += 2) {
      const start = p;
      let lo = 0;
      let hi = 0;
      let shift = 0;
      for (;;) {
        const b = data[p++]!;
        const g = b & 0x7f;
        if (shift < 32) {
          lo |= g << shift;
          if (shift > 25) hi |= g >>> (32 - shift);
        } else {
          if (shift === 63 && g > 1) throw overflow(start, type);
          hi |= g << (shift - 32);
        }
        if (b < 0x80) break;
        shift += 7;
        if (shift > 63) throw overflow(start, type);
      }
      dst[k] = lo;
      dst[k + 1] = hi;
    }
    return out;
  }
  const max = width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
  for (let k = 0; k < dst.length; k++) {
    let b = data[p++]!;
    if (b < 0x80) {
      dst[k] = b; // the common one-byte case; it always fits
      continue;
    }
    const start = p - 1;
    let v = b & 0x7f;
    b = data[p++]!;
    v |= (b & 0x7f) << 7;
    if (b >= 0x80) {
      b = data[p++]!;
      v |= (b & 0x7f) << 14;
      if (b >= 0x80) {
        b = data[p++]!;
        v |= (b & 0x7f) << 21;
        if (b >= 0x80) {
          // Fifth group holds bits 28..31: anything above 0x0f (or a sixth byte) overflows.
          b = data[p++]!;
          if (b > 0x0f) throw overflow(start, type);
          v |= b << 28;
        }
      }
    }
    v >>>= 0;
    if (v > max) throw overflow(start, type);
    dst[k] = v;
  }
  return out;
}

function overflow(offset: number, type: ElementType): CorruptDataError {
  return new CorruptDataError(`codec varint: value at byte ${offset} does not fit in ${type}`);
}

export const varintCodec: Codec = {
  id: 'varint',
  description: 'unsigned LEB128 of u8..u64 elements',
  validate(input, param) {
    noParam('varint', param);
    if (!isUnsignedType(input)) {
      const hint = isSignedType(input) ? ' (use zigzag first for signed values)' : ' (unsigned integer types only)';
      throw new InvalidArgumentError(`codec varint cannot take ${input} input${hint}`);
    }
  },
  outputType: () => 'bytes',
  encode: (data, ctx) => encode(data, ctx.type),
  decode: (data, ctx) => decode(data, ctx.type),
};
