/**
 * delta: each integer element becomes its difference from the previous one (the first from
 * 0), wrapping in the element width, so sorted positions turn into small numbers. Signed and
 * unsigned types share the same bit arithmetic. 64-bit elements are handled as (lo, hi) u32
 * word pairs with an explicit borrow/carry: no BigInt allocation per element.
 */
import { InvalidArgumentError } from '../../errors.js';
import { elementWidth, isIntegerType, laneView, requireWholeElements } from '../element-type.js';
import { noParam } from '../params.js';
import type { Codec } from '../types.js';

function encodeLanes(src: Uint8Array | Uint16Array | Uint32Array, dst: Uint8Array | Uint16Array | Uint32Array, width: number): void {
  const n = src.length;
  if (width === 8) {
    let pLo = 0;
    let pHi = 0;
    for (let i = 0; i < n; i += 2) {
      const lo = src[i]!;
      const hi = src[i + 1]!;
      dst[i] = lo - pLo;
      dst[i + 1] = hi - pHi - (lo < pLo ? 1 : 0);
      pLo = lo;
      pHi = hi;
    }
    return;
  }
  // Typed-array stores reduce modulo 2^width, which is exactly the wraparound we want.
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    dst[i] = v - prev;
    prev = v;
  }
}

function decodeLanes(src: Uint8Array | Uint16Array | Uint32Array, dst: Uint8Array | Uint16Array | Uint32Array, width: number): void {
  const n = src.length;
  if (width === 8) {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i += 2) {
      const sum = lo + src[i]!;
      lo = sum >>> 0;
      hi = (hi + src[i + 1]! + (sum > 0xffffffff ? 1 : 0)) >>> 0;
      dst[i] = lo;
      dst[i + 1] = hi;
    }
    return;
  }
  const mask = width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc = (acc + src[i]!) & mask;
    dst[i] = acc;
  }
}

function run(data: Uint8Array, type: Parameters<Codec['encode']>[1]['type'], decode: boolean): Uint8Array {
  requireWholeElements(data, type, 'delta', decode);
  const width = elementWidth(type);
  const out = new Uint8Array(data.length);
  const src = laneView(data, width);
  const dst = laneView(out, width);
  if (decode) decodeLanes(src, dst, width);
  else encodeLanes(src, dst, width);
  return out;
}

export const deltaCodec: Codec = {
  id: 'delta',
  description: 'difference from the previous integer element, wrapping in the element width',
  validate(input, param) {
    noParam('delta', param);
    if (!isIntegerType(input)) throw new InvalidArgumentError(`codec delta cannot take ${input} input (integer types only)`);
  },
  encode: (data, ctx) => run(data, ctx.type, false),
  decode: (data, ctx) => run(data, ctx.type, true),
};
