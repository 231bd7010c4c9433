/** Zstandard through zstd-napi's one-shot calls. Param: level 1-22, default 3. */
import { compress, decompress } from 'zstd-napi';
import { CorruptDataError } from '../../errors.js';
import { intParam, plainBytes } from '../params.js';
import type { Codec } from '../types.js';

export const zstdCodec: Codec = {
  id: 'zstd',
  description: 'Zstandard (level 1-22, default 3)',
  validate(_input, param) {
    intParam('zstd', param, 1, 22, 3);
  },
  outputType: () => 'bytes',
  encode(data, ctx) {
    return plainBytes(compress(data, { compressionLevel: intParam('zstd', ctx.param, 1, 22, 3) }));
  },
  decode(data) {
    if (data.length === 0) throw new CorruptDataError('codec zstd: empty input is not a zstd frame');
    try {
      return plainBytes(decompress(data));
    } catch (e) {
      throw new CorruptDataError(`codec zstd: ${data.length} bytes do not decompress (${(e as Error).message})`, { cause: e });
    }
  },
};
