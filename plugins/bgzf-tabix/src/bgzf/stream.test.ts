import { CorruptDataError } from '@genolake/core';
import { describe, expect, it } from 'vitest';
import { collect, pseudoRandomBytes } from '../testing/htslib.js';
import { BLOCK_INPUT_SIZE } from './block.js';
import { readBlocks, decompressStream } from './stream.js';
import { compressSync } from './writer.js';

function chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let p = 0; p < bytes.length; p += size) yield bytes.subarray(p, p + size);
  })();
}

// 200 blocks: more than one 64-block run, so threads >= 2 goes through the worker pool.
const input = pseudoRandomBytes(200 * BLOCK_INPUT_SIZE + 1234, 7, true);
const bgzf = compressSync(input, 1);

describe('streaming decompression paths', () => {
  it.each([1, 2, 3])('threads %i: same bytes, blocks in order with their offsets', async (threads) => {
    expect((await collect(decompressStream(chunked(bgzf, 300_000), { threads }))).equals(input)).toBe(true);
    let expected = 0;
    for await (const b of readBlocks(chunked(bgzf, 1 << 20), { threads })) {
      expect(b.coffset).toBe(expected);
      expected += b.size;
    }
    expect(expected).toBe(bgzf.length);
  });

  it('a CRC mismatch inside a worker run names the block offset, as on one thread', async () => {
    const blocks: number[] = [];
    for await (const b of readBlocks(chunked(bgzf, 1 << 20), { threads: 1 })) blocks.push(b.coffset);
    const bad = blocks[150]!;
    const next = blocks[151]!;
    const corrupt = bgzf.slice();
    corrupt[next - 8] ^= 0xff; // CRC32 of block 150
    for (const threads of [1, 2]) {
      const err = await collect(decompressStream(chunked(corrupt, 1 << 20), { name: 'c.gz', threads })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptDataError);
      expect((err as Error).message).toContain(`compressed offset ${bad}`);
    }
  });
});
