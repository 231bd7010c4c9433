/**
 * @genolake/libdeflate: raw deflate/inflate and CRC32 through the system libdeflate, one block at a
 * time or many blocks per native call (synchronously, or on libuv's threadpool with the *Async
 * calls). The addon is optional: when it cannot be loaded (not built, no libdeflate on the
 * machine, or GENOLAKE_LIBDEFLATE=0 in the environment) `available` is false, `loadError` says
 * why, and every function throws that error. Callers check `available` and use node:zlib
 * otherwise.
 */
import { createRequire } from 'node:module';

/** Highest libdeflate compression level (0 stores, 1 fastest, 6 like zlib's default, 12 smallest). */
export const MAX_LEVEL = 12;

/** What the native addon exports (see src/binding.c). */
export interface Addon {
  /** Inflates the whole raw-deflate stream `input` into `output`; returns the bytes written. */
  inflateRaw(input: Uint8Array, output: Uint8Array): number;
  /** Deflates `input` into `output` at `level` (0..12); returns the bytes written. */
  deflateRaw(input: Uint8Array, output: Uint8Array, level: number): number;
  /** CRC-32 as in gzip, continuing from `init` (default 0). */
  crc32(data: Uint8Array, init?: number): number;
  /** Worst-case deflateRaw output size for `length` input bytes, at any level. */
  deflateBound(length: number): number;
  /**
   * Inflates n blocks: block k is `src[srcOffsets[k], srcOffsets[k] + srcLengths[k])` and must
   * inflate to exactly `dst[dstOffsets[k], dstOffsets[k + 1])` (dstOffsets has n + 1 entries) with
   * CRC32 `expectedCrcs[k]`. Throws a {@link BlockError} naming the first failing block.
   */
  inflateBlocks(src: Uint8Array, srcOffsets: Uint32Array, srcLengths: Uint32Array, dst: Uint8Array, dstOffsets: Uint32Array, expectedCrcs: Uint32Array): void;
  /** inflateBlocks on libuv's threadpool. Do not touch the arrays until the promise settles. */
  inflateBlocksAsync(src: Uint8Array, srcOffsets: Uint32Array, srcLengths: Uint32Array, dst: Uint8Array, dstOffsets: Uint32Array, expectedCrcs: Uint32Array): Promise<void>;
  /**
   * Deflates n blocks: block k is `src[srcOffsets[k], srcOffsets[k + 1])` (n + 1 offsets); its
   * output goes to `dst` from `dstOffsets[k]`, using at most `dstOffsets[k + 1] - dstOffsets[k]`
   * bytes. Writes each block's compressed size to `outSizes[k]` and its input's CRC32 to
   * `outCrcs[k]`. A block that does not fit throws a {@link BlockError} (ERR_LIBDEFLATE_INSUFFICIENT_SPACE).
   */
  deflateBlocks(src: Uint8Array, srcOffsets: Uint32Array, dst: Uint8Array, dstOffsets: Uint32Array, level: number, outSizes: Uint32Array, outCrcs: Uint32Array): void;
  /** deflateBlocks on libuv's threadpool. Do not touch the arrays until the promise settles. */
  deflateBlocksAsync(src: Uint8Array, srcOffsets: Uint32Array, dst: Uint8Array, dstOffsets: Uint32Array, level: number, outSizes: Uint32Array, outCrcs: Uint32Array): Promise<void>;
  /** Version of the libdeflate headers the addon was built against. */
  readonly libdeflateVersion: string;
}

/**
 * Errors thrown by the addon carry a `code`: ERR_LIBDEFLATE_BAD_DATA (not valid deflate),
 * ERR_LIBDEFLATE_SIZE (inflated size differs from the expected one), ERR_LIBDEFLATE_CRC,
 * ERR_LIBDEFLATE_INSUFFICIENT_SPACE (output too small), ERR_LIBDEFLATE_NO_MEMORY. Batch calls
 * add the index of the failing block, and for a short block the size it inflated to.
 */
export interface BlockError extends Error {
  code: string;
  blockIndex?: number;
  actualSize?: number;
}

/** Where the build puts the addon, relative to src/ and dist/ alike. */
const ADDON_PATH = '../build/Release/genolake_libdeflate.node';

/**
 * Loads the addon from `path` (relative to this module). Never throws: returns the addon, or the
 * reason it cannot be used. Exported for tests.
 */
export function loadAddon(path = ADDON_PATH, env: Record<string, string | undefined> = process.env): { addon?: Addon; error?: Error } {
  if (env.GENOLAKE_LIBDEFLATE === '0') return { error: new Error('disabled by GENOLAKE_LIBDEFLATE=0') };
  try {
    const addon = createRequire(import.meta.url)(path) as Addon;
    if (typeof addon.inflateBlocksAsync !== 'function') return { error: new Error(`${path}: not the genolake libdeflate addon`) };
    return { addon };
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { error: new Error(`cannot load the native addon (${why}); build it with \`npm run build -w @genolake/libdeflate\` (needs libdeflate-dev, a C compiler, make, python3)`, { cause: e }) };
  }
}

const loaded = loadAddon();

/** True when the native addon is loaded and the functions below work. */
export const available: boolean = loaded.addon !== undefined;
/** Why the addon is unavailable (undefined when it is available). */
export const loadError: Error | undefined = loaded.error;
/** libdeflate version the addon was built against, or undefined. */
export const libdeflateVersion: string | undefined = loaded.addon?.libdeflateVersion;

function unavailable(): never {
  throw new Error(`@genolake/libdeflate is not available: ${loadError?.message}`, { cause: loadError });
}

const a: Addon | undefined = loaded.addon;

export const inflateRaw: Addon['inflateRaw'] = a ? a.inflateRaw : unavailable;
export const deflateRaw: Addon['deflateRaw'] = a ? a.deflateRaw : unavailable;
export const crc32: Addon['crc32'] = a ? a.crc32 : unavailable;
export const deflateBound: Addon['deflateBound'] = a ? a.deflateBound : unavailable;
export const inflateBlocks: Addon['inflateBlocks'] = a ? a.inflateBlocks : unavailable;
export const deflateBlocks: Addon['deflateBlocks'] = a ? a.deflateBlocks : unavailable;
export const inflateBlocksAsync: Addon['inflateBlocksAsync'] = a ? a.inflateBlocksAsync : async () => unavailable();
export const deflateBlocksAsync: Addon['deflateBlocksAsync'] = a ? a.deflateBlocksAsync : async () => unavailable();
