/**
 * Zstandard through zstd-napi. Param: level 1-22, default 3.
 *
 * One Compressor per level and one Decompressor, reused for every call (calls are
 * synchronous, so a context is never shared by two calls at once). zstd-napi's one-shot
 * `compress(data, { compressionLevel })` already reuses one context but resets and re-maps
 * its parameters on every call, which is most of the cost of a small page: measured on SAM
 * text at level 3 (CPU µs per call, min/median of 15 rounds), 1 KiB compress 5.6/6.6 ->
 * 5.2/5.6 and decompress 2.6/3.4 -> 2.4/2.5; at 64 KiB and 1 MiB the two are equal within
 * noise (135/143 and 2330/2590 µs). The frames are byte-identical, standard zstd frames.
 *
 * The native module is loaded on first use, not at import: commands that never touch zstd
 * (help, plugins, info, log) skip its ~10 ms load.
 */
import { createRequire } from 'node:module';
import type { Compressor, Decompressor } from 'zstd-napi';
import type * as ZstdBinding from 'zstd-napi/binding.js';
import { CorruptDataError } from '../../errors.js';
import { intParam, plainBytes } from '../params.js';
import type { Codec } from '../types.js';

interface Zstd {
  lib: typeof import('zstd-napi');
  binding: typeof ZstdBinding;
  compressors: (Compressor | undefined)[];
  decompressor?: Decompressor;
  dctx?: ZstdBinding.DCtx;
}

let loaded: Zstd | undefined;

function zstd(): Zstd {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = {
      lib: require('zstd-napi') as typeof import('zstd-napi'),
      binding: require('zstd-napi/binding.js') as typeof ZstdBinding,
      compressors: [],
    };
  }
  return loaded;
}

function compressorFor(level: number): Compressor {
  const z = zstd();
  let c = z.compressors[level];
  if (!c) {
    c = new z.lib.Compressor();
    c.setParameters({ compressionLevel: level });
    z.compressors[level] = c;
  }
  return c;
}

function decompressor(): Decompressor {
  const z = zstd();
  return (z.decompressor ??= new z.lib.Decompressor());
}

/**
 * One frame that records its content size (every frame the compressor here writes): read its
 * header once and decompress straight into a buffer of that size; undefined for anything else
 * (several frames, no size recorded), which takes zstd-napi's general path. That path reads
 * the frame headers twice more (after the size check): 1.78 -> 1.51 µs for a 1 KB page, the
 * size of most of a record group's pages.
 */
function decompressOneFrame(data: Uint8Array): Uint8Array | undefined {
  const z = zstd();
  const size = z.binding.getFrameContentSize(data);
  if (size === null || z.binding.findFrameCompressedSize(data) !== data.length) return undefined;
  if (size > data.length * MAX_RATIO) {
    throw new CorruptDataError(`codec zstd: ${data.length} bytes declare ${size} bytes of content, more than zstd can produce`);
  }
  const out = Buffer.allocUnsafe(size);
  const n = (z.dctx ??= new z.binding.DCtx()).decompress(out, data);
  if (n !== size) throw new CorruptDataError(`codec zstd: ${data.length} bytes decompress to ${n} bytes, the frame declares ${size}`);
  return plainBytes(out);
}

/**
 * zstd cannot expand input by more than ~32768x (a 4-byte RLE block yields at most 128 KiB),
 * so frame headers declaring more are damaged; refusing them stops a flipped bit from
 * making the decoder allocate gigabytes before it notices.
 */
const MAX_RATIO = 65536;

function checkDeclaredSize(data: Uint8Array): void {
  const binding = zstd().binding;
  let declared = 0;
  let at = 0;
  while (at < data.length) {
    const frame = data.subarray(at);
    const size = binding.getFrameContentSize(frame);
    if (size === null) return; // size not recorded: the streaming path grows as it goes
    declared += size;
    const step = binding.findFrameCompressedSize(frame);
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
    return plainBytes(compressorFor(intParam('zstd', ctx.param, 1, 22, 3)).compress(data));
  },
  decode(data) {
    if (data.length === 0) throw new CorruptDataError('codec zstd: empty input is not a zstd frame');
    try {
      const one = decompressOneFrame(data);
      if (one) return one;
      checkDeclaredSize(data);
      return plainBytes(decompressor().decompress(data));
    } catch (e) {
      if (e instanceof CorruptDataError) throw e;
      throw new CorruptDataError(`codec zstd: ${data.length} bytes do not decompress (${(e as Error).message})`, { cause: e });
    }
  },
};
