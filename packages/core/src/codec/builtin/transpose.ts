/**
 * transpose (byte shuffle): n elements of width w become w planes of n bytes (all byte 0s,
 * then all byte 1s, ...). High bytes of similar numbers are alike, so the planes compress
 * far better under zstd/deflate. Output is 'bytes'; width 1 is the identity.
 */
import { elementWidth, requireWholeElements } from '../element-type.js';
import { noParam } from '../params.js';
import type { Codec, ElementType } from '../types.js';

function shuffle(data: Uint8Array, type: ElementType, decode: boolean): Uint8Array {
  requireWholeElements(data, type, 'transpose', decode);
  const w = elementWidth(type);
  if (w === 1) return data;
  const n = data.length / w;
  const out = new Uint8Array(data.length);
  for (let j = 0; j < w; j++) {
    const plane = j * n;
    if (decode) for (let i = 0, s = j; i < n; i++, s += w) out[s] = data[plane + i]!;
    else for (let i = 0, s = j; i < n; i++, s += w) out[plane + i] = data[s]!;
  }
  return out;
}

export const transposeCodec: Codec = {
  id: 'transpose',
  description: 'byte shuffle of fixed-width elements into byte planes',
  validate(_input, param) {
    noParam('transpose', param);
  },
  outputType: () => 'bytes',
  encode: (data, ctx) => shuffle(data, ctx.type, false),
  decode: (data, ctx) => shuffle(data, ctx.type, true),
};
