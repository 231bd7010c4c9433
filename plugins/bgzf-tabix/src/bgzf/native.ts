/**
 * Batch BGZF work through @genolake/libdeflate: a run of blocks is inflated, or a batch of blocks
 * deflated, in one native call on libuv's threadpool. One call per ~1 MiB amortises the JS↔C
 * and threadpool round trip (~20-50 µs) that a call per 64 KiB block would pay, and needs no
 * worker threads: N calls in flight are N threads working.
 */
import * as libdeflate from '@genolake/libdeflate';
import { FOOTER_SIZE, HEADER_SIZE, MAX_PAYLOAD_SIZE, checkIsize, frameInPlace, nativeBlockError, tooBig, uninitialized } from './block.js';
import type { RunBlock } from './inflate-pool.js';

/**
 * Inflates whole blocks held in `bytes` (offsets in `blocks`) into one buffer, checking ISIZE
 * and CRC32 of each; resolves to each block's data (views of that buffer), in order. A failure
 * rejects with the CorruptDataError of the first bad block. `bytes` must not change meanwhile.
 */
export async function inflateRun(bytes: Uint8Array, blocks: RunBlock[], name: string): Promise<Uint8Array[]> {
  const n = blocks.length;
  const srcOffsets = new Uint32Array(n);
  const srcLengths = new Uint32Array(n);
  const dstOffsets = new Uint32Array(n + 1);
  const crcs = new Uint32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const b = blocks[k]!;
    const isize = dv.getUint32(b.end - 4, true);
    checkIsize(isize, name, b.coffset);
    srcOffsets[k] = b.dataStart;
    srcLengths[k] = b.end - FOOTER_SIZE - b.dataStart;
    crcs[k] = dv.getUint32(b.end - FOOTER_SIZE, true);
    dstOffsets[k] = total;
    total += isize;
  }
  dstOffsets[n] = total;
  const out = uninitialized(total);
  try {
    await libdeflate.inflateBlocksAsync(bytes, srcOffsets, srcLengths, out, dstOffsets, crcs);
  } catch (e) {
    const k = (e as libdeflate.BlockError).blockIndex;
    if (k === undefined) throw e;
    throw nativeBlockError(e, name, blocks[k]!.coffset, dstOffsets[k + 1]! - dstOffsets[k]!);
  }
  const data = new Array<Uint8Array>(n);
  for (let k = 0; k < n; k++) data[k] = out.subarray(dstOffsets[k], dstOffsets[k + 1]);
  return data;
}

/** Deflated, framed blocks of a batch: one buffer (the blocks back to back) and their sizes. */
export interface FramedBatch {
  bytes: Uint8Array;
  /** Size on disk of each block. */
  sizes: number[];
  /** Input bytes of each block. */
  inputSizes: number[];
}

/**
 * Deflates the blocks `src[ends[k-1]..ends[k])` (from 0) at libdeflate `level` on the threadpool
 * and frames them as BGZF blocks, back to back in one buffer. `scratch` (≥ blocks × 64 KiB) is
 * working space the caller may reuse once the promise settles; `src` must not change meanwhile.
 */
export async function deflateBatch(src: Uint8Array, ends: number[], level: number, scratch: Uint8Array): Promise<FramedBatch> {
  const n = ends.length;
  const srcOffsets = new Uint32Array(n + 1);
  const dstOffsets = new Uint32Array(n + 1);
  for (let k = 0; k < n; k++) {
    srcOffsets[k + 1] = ends[k]!;
    dstOffsets[k + 1] = (k + 1) * MAX_PAYLOAD_SIZE;
  }
  const sizes = new Uint32Array(n);
  const crcs = new Uint32Array(n);
  try {
    await libdeflate.deflateBlocksAsync(src, srcOffsets, scratch, dstOffsets, level, sizes, crcs);
  } catch (e) {
    const k = (e as libdeflate.BlockError).blockIndex;
    throw tooBig(e, k === undefined ? 0 : srcOffsets[k + 1]! - srcOffsets[k]!);
  }
  let total = 0;
  for (let k = 0; k < n; k++) total += HEADER_SIZE + sizes[k]! + FOOTER_SIZE;
  const bytes = new Uint8Array(total);
  const out: FramedBatch = { bytes, sizes: new Array<number>(n), inputSizes: new Array<number>(n) };
  let at = 0;
  for (let k = 0; k < n; k++) {
    const size = sizes[k]!;
    bytes.set(scratch.subarray(dstOffsets[k], dstOffsets[k]! + size), at + HEADER_SIZE);
    const inputSize = srcOffsets[k + 1]! - srcOffsets[k]!;
    frameInPlace(bytes.subarray(at), size, crcs[k]!, inputSize);
    out.sizes[k] = HEADER_SIZE + size + FOOTER_SIZE;
    out.inputSizes[k] = inputSize;
    at += out.sizes[k]!;
  }
  return out;
}
