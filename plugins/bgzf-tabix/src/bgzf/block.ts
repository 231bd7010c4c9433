/**
 * One BGZF block (SAMv1 §4.1): a complete gzip member whose header carries the `BC` extra
 * subfield with BSIZE (total block size - 1), holding at most 64 KiB of input.
 */
import { crc32, deflateRawSync, gzip, inflateRaw, inflateRawSync } from 'node:zlib';
import { CorruptDataError, InvalidArgumentError } from '@genolake/core';
import * as libdeflate from '@genolake/libdeflate';

/** Largest block on disk, and largest uncompressed payload, allowed by the spec. */
export const MAX_BLOCK_SIZE = 0x10000;
/**
 * Input bytes per block. htslib uses 0xff00 so that even incompressible data, which deflate
 * stores with 5 bytes of overhead per stored block, still fits in 64 KiB with the 26-byte
 * header and footer. We use the same number so our block boundaries match bgzip's.
 */
export const BLOCK_INPUT_SIZE = 0xff00;
/** Fixed header we write: 12 gzip bytes + the 6-byte BC subfield. */
export const HEADER_SIZE = 18;
/** CRC32 + ISIZE. */
export const FOOTER_SIZE = 8;
/** The standard empty block that marks a complete file (SAMv1 §4.1.2). */
export const EOF_BLOCK: Uint8Array = Uint8Array.from([
  0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43, 0x02, 0, 0x1b, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0,
  0,
]);

/** Largest deflate payload that still fits a block with our header and the footer. */
export const MAX_PAYLOAD_SIZE = MAX_BLOCK_SIZE - HEADER_SIZE - FOOTER_SIZE;

/**
 * Which deflate implementation the bgzf layer uses: the native libdeflate binding when it loaded
 * (about 2x zlib's inflate speed, and much faster deflate at low levels, as in htslib), else
 * node:zlib. Both write valid BGZF; their compressed bytes differ.
 */
let useLibdeflate = libdeflate.available;

/** 'libdeflate' or 'zlib': the codec in use (see @genolake/libdeflate's README for the fallback). */
export function codec(): 'libdeflate' | 'zlib' {
  return useLibdeflate ? 'libdeflate' : 'zlib';
}

/** Switches codec (tests run both paths). Asking for libdeflate when it is unavailable throws its load error. */
export function setCodec(name: 'libdeflate' | 'zlib'): void {
  if (name === 'libdeflate' && !libdeflate.available) throw libdeflate.loadError!;
  useLibdeflate = name === 'libdeflate';
}

/**
 * libdeflate level for each bgzip level 0..9 (-1 means 6). libdeflate's levels run to 12 and
 * differ from zlib's, so htslib (built with libdeflate) spreads 0..9 over them as below; we match
 * it, so a level costs the same time and gives the same ratio as in bgzip. Checked on 20 MB of
 * the benchmark VCF: bgzip -l 2/3/4/6/7 output sizes are within 0.2% of libdeflate 2/3/5/7/8.
 */
const LIBDEFLATE_LEVELS = [0, 1, 2, 3, 5, 6, 7, 8, 10, 12];

/** libdeflate level for a bgzip level (-1 or 0..9), as htslib maps it. */
export function nativeLevel(level: number): number {
  return LIBDEFLATE_LEVELS[level < 0 ? 6 : level]!;
}

/**
 * Output chunk size for zlib calls. A block inflates to at most 64 KiB, so one 64 KiB chunk
 * holds it whole; node's default (16 KiB) makes zlib fill four chunks and concatenate them,
 * which measured 40% slower (inflateRawSync over a 200 MB VCF: 169 -> 285 MB/s).
 */
const ZLIB_CHUNK = MAX_BLOCK_SIZE;
/** zlib's gzip wrapper without options: a fixed 10-byte header, then deflate, then CRC32 + ISIZE. */
const GZIP_HEADER_SIZE = 10;

function gzipAsync(data: Uint8Array, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(data, { level, chunkSize: ZLIB_CHUNK }, (e, out) => (e ? reject(e) : resolve(out))));
}

function inflateRawAsync(data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => inflateRaw(data, { chunkSize: ZLIB_CHUNK }, (e, out) => (e ? reject(e) : resolve(out))));
}

/** What a block header says, read without inflating anything. */
export interface BlockHeader {
  /** Total size of the block on disk (BSIZE + 1). */
  blockSize: number;
  /** Offset of the deflate payload from the block start (12 + XLEN). */
  dataOffset: number;
}

/** True when `buf` starts with a gzip magic and deflate method. */
export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0x1f && buf[1] === 0x8b && buf[2] === 8;
}

/**
 * Parses the header at `buf[pos..]`. Returns undefined when fewer bytes than the header needs
 * are available, `null` when the member is valid gzip but not BGZF (no BC subfield), and
 * throws CorruptDataError (naming `name` and the file offset) for anything else.
 */
export function parseHeader(buf: Uint8Array, pos: number, name: string, fileOffset: number): BlockHeader | null | undefined {
  const avail = buf.length - pos;
  if (avail < 12) {
    if (avail >= 3 && !isGzip(buf.subarray(pos))) throw badHeader(name, fileOffset, 'no gzip magic');
    return undefined;
  }
  if (buf[pos] !== 0x1f || buf[pos + 1] !== 0x8b || buf[pos + 2] !== 8) throw badHeader(name, fileOffset, 'no gzip magic');
  const flags = buf[pos + 3]!;
  if ((flags & 4) === 0) return null; // no FEXTRA: plain gzip
  const xlen = buf[pos + 10]! | (buf[pos + 11]! << 8);
  if (avail < 12 + xlen) return undefined;
  // Walk the extra subfields; BC may not be the only one (the spec allows others).
  let p = pos + 12;
  const end = p + xlen;
  while (p + 4 <= end) {
    const slen = buf[p + 2]! | (buf[p + 3]! << 8);
    if (buf[p] === 0x42 && buf[p + 1] === 0x43 && slen === 2 && p + 6 <= end) {
      const blockSize = (buf[p + 4]! | (buf[p + 5]! << 8)) + 1;
      if (blockSize < 12 + xlen + FOOTER_SIZE) throw badHeader(name, fileOffset, `BSIZE ${blockSize - 1} too small`);
      return { blockSize, dataOffset: 12 + xlen };
    }
    p += 4 + slen;
  }
  return null;
}

function badHeader(name: string, offset: number, why: string): CorruptDataError {
  return new CorruptDataError(`${name}: bad BGZF block header at compressed offset ${offset}: ${why}`);
}

/** Wraps deflated bytes into a block with our fixed 18-byte header and the footer. */
export function frameBlock(deflated: Uint8Array, crc: number, inputSize: number): Uint8Array {
  const size = HEADER_SIZE + deflated.length + FOOTER_SIZE;
  if (size > MAX_BLOCK_SIZE) throw new InvalidArgumentError(`BGZF block of ${size} bytes exceeds 64 KiB`);
  const out = new Uint8Array(size);
  out.set(EOF_BLOCK.subarray(0, 16));
  out[16] = (size - 1) & 0xff;
  out[17] = (size - 1) >>> 8;
  out.set(deflated, HEADER_SIZE);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(size - 8, crc >>> 0, true);
  dv.setUint32(size - 4, inputSize, true);
  return out;
}

/**
 * Completes a block whose deflate payload (n bytes) already sits at `buf[HEADER_SIZE..]`: writes
 * the header and footer around it and returns the block (a view of buf).
 */
export function frameInPlace(buf: Uint8Array, n: number, crc: number, inputSize: number): Uint8Array {
  const size = HEADER_SIZE + n + FOOTER_SIZE;
  buf.set(EOF_BLOCK.subarray(0, 16));
  buf[16] = (size - 1) & 0xff;
  buf[17] = (size - 1) >>> 8;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  dv.setUint32(size - 8, crc >>> 0, true);
  dv.setUint32(size - 4, inputSize, true);
  return buf.subarray(0, size);
}

/** A block whose deflate output did not fit: the same error frameBlock raises. */
export function tooBig(e: unknown, inputSize: number): Error {
  if ((e as { code?: string }).code !== 'ERR_LIBDEFLATE_INSUFFICIENT_SPACE') return e as Error;
  return new InvalidArgumentError(`BGZF block of more than ${MAX_BLOCK_SIZE} bytes (deflated from ${inputSize} input bytes) exceeds 64 KiB`);
}

/** zlib level for a bgzip level: -1 is zlib's default (6), as in htslib. */
function zlibLevel(level: number): number {
  if (!Number.isInteger(level) || level < -1 || level > 9) {
    throw new InvalidArgumentError(`compression level ${level}: expected -1 (default) or 0..9`);
  }
  return level;
}

/**
 * Compresses ≤ BLOCK_INPUT_SIZE bytes into one block on libuv's threadpool. We ask zlib for a
 * gzip member rather than raw deflate so the CRC32 is computed on the pool thread too (it is in
 * the member's trailer); at level 1 that was 8% of the main thread's time per block.
 */
export async function compressBlock(data: Uint8Array, level = -1): Promise<Uint8Array> {
  if (useLibdeflate) {
    const z = zlibLevel(level);
    const out = new Uint8Array(MAX_PAYLOAD_SIZE);
    const sizes = new Uint32Array(1);
    const crcs = new Uint32Array(1);
    await libdeflate
      .deflateBlocksAsync(data, Uint32Array.of(0, data.length), out, Uint32Array.of(0, MAX_PAYLOAD_SIZE), nativeLevel(z), sizes, crcs)
      .catch((e: unknown) => {
        throw tooBig(e, data.length);
      });
    return frameBlock(out.subarray(0, sizes[0]), crcs[0]!, data.length);
  }
  const member = await gzipAsync(data, zlibLevel(level));
  const dv = new DataView(member.buffer, member.byteOffset, member.byteLength);
  const crc = dv.getUint32(member.length - 8, true);
  return frameBlock(member.subarray(GZIP_HEADER_SIZE, member.length - FOOTER_SIZE), crc, data.length);
}

/** Synchronous variant for small buffers (index files, tests). */
export function compressBlockSync(data: Uint8Array, level = -1): Uint8Array {
  if (useLibdeflate) {
    const z = zlibLevel(level);
    const out = new Uint8Array(MAX_BLOCK_SIZE);
    let n: number;
    try {
      n = libdeflate.deflateRaw(data, out.subarray(HEADER_SIZE, HEADER_SIZE + MAX_PAYLOAD_SIZE), nativeLevel(z));
    } catch (e) {
      throw tooBig(e, data.length);
    }
    return frameInPlace(out, n, libdeflate.crc32(data), data.length);
  }
  return frameBlock(deflateRawSync(data, { level: zlibLevel(level), chunkSize: ZLIB_CHUNK }), crc32(data), data.length);
}

/** Expected CRC and size from a block's footer. */
function footer(block: Uint8Array): { crc: number; isize: number } {
  const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
  return { crc: dv.getUint32(block.length - 8, true), isize: dv.getUint32(block.length - 4, true) };
}

function checkInflated(out: Uint8Array, block: Uint8Array, name: string, offset: number): Uint8Array {
  const { crc, isize } = footer(block);
  if (out.length !== isize) {
    throw new CorruptDataError(`${name}: BGZF block at compressed offset ${offset}: inflated ${out.length} bytes, ISIZE says ${isize}`);
  }
  if (crc32(out) >>> 0 !== crc) throw new CorruptDataError(`${name}: CRC32 mismatch in BGZF block at compressed offset ${offset}`);
  return out;
}

function inflateError(e: unknown, name: string, offset: number): CorruptDataError {
  const why = e instanceof Error ? e.message : String(e);
  return new CorruptDataError(`${name}: cannot inflate BGZF block at compressed offset ${offset}: ${why}`, { cause: e });
}

/**
 * Inflates one whole block (`block` is exactly blockSize bytes) and checks ISIZE and CRC32.
 * `offset` is the block's position in the file, for messages.
 */
export async function decompressBlock(block: Uint8Array, header: BlockHeader, name: string, offset: number): Promise<Uint8Array> {
  // libdeflate inflates a 64 KiB block in ~60 µs: less than a threadpool round trip costs.
  if (useLibdeflate) return inflateNative(block, header, name, offset);
  const payload = block.subarray(header.dataOffset, block.length - FOOTER_SIZE);
  let out: Uint8Array;
  try {
    out = await inflateRawAsync(payload);
  } catch (e) {
    throw inflateError(e, name, offset);
  }
  return checkInflated(out, block, name, offset);
}

/** Synchronous variant (index files are small and read once). */
export function decompressBlockSync(block: Uint8Array, header: BlockHeader, name: string, offset: number): Uint8Array {
  if (useLibdeflate) return inflateNative(block, header, name, offset);
  let out: Uint8Array;
  try {
    out = inflateRawSync(block.subarray(header.dataOffset, block.length - FOOTER_SIZE), { chunkSize: ZLIB_CHUNK });
  } catch (e) {
    throw inflateError(e, name, offset);
  }
  return checkInflated(out, block, name, offset);
}

/** ISIZE above 64 KiB: corrupt (we size output buffers from it, so it is checked first). */
export function checkIsize(isize: number, name: string, offset: number): void {
  if (isize > MAX_BLOCK_SIZE) throw new CorruptDataError(`${name}: BGZF block at compressed offset ${offset}: ISIZE ${isize} exceeds 64 KiB`);
}

/**
 * The CorruptDataError for a libdeflate failure on the block at `offset`, worded as the zlib
 * path words it (codes from @genolake/libdeflate).
 */
export function nativeBlockError(e: unknown, name: string, offset: number, isize: number): Error {
  const err = e as libdeflate.BlockError;
  switch (err.code) {
    case 'ERR_LIBDEFLATE_BAD_DATA':
      return inflateError(new Error('invalid deflate data'), name, offset);
    case 'ERR_LIBDEFLATE_CRC':
      return new CorruptDataError(`${name}: CRC32 mismatch in BGZF block at compressed offset ${offset}`);
    case 'ERR_LIBDEFLATE_SIZE':
    case 'ERR_LIBDEFLATE_INSUFFICIENT_SPACE': {
      const got = err.actualSize === undefined ? `more than ${isize}` : String(err.actualSize);
      return new CorruptDataError(`${name}: BGZF block at compressed offset ${offset}: inflated ${got} bytes, ISIZE says ${isize}`);
    }
    default:
      return err;
  }
}

/**
 * A Uint8Array of n bytes that the caller overwrites entirely: skips the zero-fill
 * (Buffer.allocUnsafeSlow, unpooled), which measured 10% of the main thread's time at `threads: 2`.
 */
export function uninitialized(n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

function inflateNative(block: Uint8Array, header: BlockHeader, name: string, offset: number): Uint8Array {
  const { crc, isize } = footer(block);
  checkIsize(isize, name, offset);
  const out = uninitialized(isize); // returned only once fully written (size and CRC checked)
  let n: number;
  try {
    n = libdeflate.inflateRaw(block.subarray(header.dataOffset, block.length - FOOTER_SIZE), out);
  } catch (e) {
    throw nativeBlockError(e, name, offset, isize);
  }
  if (n !== isize) throw nativeBlockError({ code: 'ERR_LIBDEFLATE_SIZE', actualSize: n }, name, offset, isize);
  if (libdeflate.crc32(out) !== crc) throw nativeBlockError({ code: 'ERR_LIBDEFLATE_CRC' }, name, offset, isize);
  return out;
}

/** True when `block` is byte-for-byte the standard EOF marker. */
export function isEofBlock(block: Uint8Array): boolean {
  if (block.length !== EOF_BLOCK.length) return false;
  for (let i = 0; i < EOF_BLOCK.length; i++) if (block[i] !== EOF_BLOCK[i]) return false;
  return true;
}
