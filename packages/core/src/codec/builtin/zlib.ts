/**
 * deflate (raw RFC 1951) and gzip (RFC 1952) through node:zlib's synchronous calls; the
 * caller decides whether the work happens on a worker thread. Param: level 0-9, default 6.
 * No output cap is needed against damaged input: deflate itself cannot expand more than
 * ~1032x, whatever the bits.
 */
import { deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { CorruptDataError } from '../../errors.js';
import { intParam, plainBytes } from '../params.js';
import type { Codec } from '../types.js';

function zlibCodec(
  id: string,
  description: string,
  compress: (d: Uint8Array, level: number) => Uint8Array,
  decompress: (d: Uint8Array) => Uint8Array,
): Codec {
  return {
    id,
    description,
    validate(_input, param) {
      intParam(id, param, 0, 9, 6);
    },
    outputType: () => 'bytes',
    encode(data, ctx) {
      return plainBytes(compress(data, intParam(id, ctx.param, 0, 9, 6)));
    },
    decode(data) {
      try {
        return plainBytes(decompress(data));
      } catch (e) {
        throw new CorruptDataError(`codec ${id}: ${data.length} bytes do not decompress (${(e as Error).message})`, { cause: e });
      }
    },
  };
}

export const deflateCodec = zlibCodec(
  'deflate',
  'raw deflate (level 0-9, default 6)',
  (d, level) => deflateRawSync(d, { level }),
  (d) => inflateRawSync(d),
);

export const gzipCodec = zlibCodec(
  'gzip',
  'gzip member (level 0-9, default 6)',
  (d, level) => gzipSync(d, { level }),
  (d) => gunzipSync(d),
);
