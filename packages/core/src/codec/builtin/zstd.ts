/** Zstandard through zstd-napi's one-shot calls. Param: level 1-22, default 3. */
import { compress, decompress } from 'zstd-napi';
// The native binding's frame inspectors (a CommonJS module: default import only).
import zstdBinding from 'zstd-napi/binding.js';
import { CorruptDataError } from '../../errors.js';
import { intParam, plainBytes } from '../params.js';
import type { Codec } from '../types.js';

/**
 * zstd cannot expand input by more than ~32768x (a 4-byte RLE block yields at most 128 KiB),
 * so frame headers declaring more are damaged; refusing them stops a flipped bit from
 * making the decoder allocate gigabytes before it notices.
 */
const MAX_RATIO = 65536;

function checkDeclaredSize(data: Uint8Array): void {
  let declared = 0;
  let at = 0;
  while (at < data.length) {
    const frame = data.subarray(at);
    const size = zstdBinding.getFrameContentSize(frame);
    if (size === null) return; // size not recorded: the streaming path grows as it goes
    declared += size;
    const step = zstdBinding.findFrameCompressedSize(frame);
    if (!(step > 0)) throw new CorruptDataError(`codec zstd: bad frame at byte ${at}`);
    at += step;
  }
  if (declared > data.length * MAX_RATIO) {
    throw new CorruptDataError(`codec zstd: ${data.length} bytes declare ${declared} bytes of content, more than zstd can produce`);
  }
}

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
      checkDeclaredSize(data);
      return plainBytes(decompress(data));
    } catch (e) {
      if (e instanceof CorruptDataError) throw e;
      throw new CorruptDataError(`codec zstd: ${data.length} bytes do not decompress (${(e as Error).message})`, { cause: e });
    }
  },
};
