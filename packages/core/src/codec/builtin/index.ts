/**
 * The built-in codecs, registered through the same public plugin door third parties use,
 * plus a plain registry of them for places without a Host (worker threads).
 */
import { NotFoundError } from '../../errors.js';
import { definePlugin } from '../../plugin/define.js';
import { PLUGIN_API_VERSION } from '../../plugin/types.js';
import type { CodecRegistry } from '../pipeline.js';
import type { Codec } from '../types.js';
import { deltaCodec } from './delta.js';
import { noneCodec } from './none.js';
import { nuc2bitCodec } from './nuc2bit.js';
import { transposeCodec } from './transpose.js';
import { varintCodec } from './varint.js';
import { zigzagCodec } from './zigzag.js';
import { deflateCodec, gzipCodec } from './zlib.js';
import { zstdCodec } from './zstd.js';

export { deltaCodec, noneCodec, nuc2bitCodec, transposeCodec, varintCodec, zigzagCodec, deflateCodec, gzipCodec, zstdCodec };

export const BUILTIN_CODECS: readonly Codec[] = [
  noneCodec, deflateCodec, gzipCodec, zstdCodec, deltaCodec, zigzagCodec, varintCodec, transposeCodec, nuc2bitCodec,
];

export const builtinCodecsPlugin = definePlugin({
  name: '@genolake/core:codecs',
  apiVersion: PLUGIN_API_VERSION,
  setup(host) {
    for (const codec of BUILTIN_CODECS) host.registerCodec(codec);
  },
});

/** A registry holding only the built-in codecs. */
export function builtinCodecRegistry(): CodecRegistry {
  const byId = new Map(BUILTIN_CODECS.map((c) => [c.id, c]));
  return {
    getCodec(id) {
      const c = byId.get(id);
      if (!c) throw new NotFoundError(`unknown codec "${id}" (built-ins: ${[...byId.keys()].join(', ')})`);
      return c;
    },
  };
}
