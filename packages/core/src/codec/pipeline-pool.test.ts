import { afterAll, describe, expect, it } from 'vitest';
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import { WorkerPool } from '../util/worker-pool.js';
import { builtinCodecRegistry } from './builtin/index.js';
import { encodePipeline } from './pipeline.js';
import { decodePipelineInPool, encodePipelineInPool } from './pipeline-pool.js';

// Workers cannot import TypeScript; from sources they load it through the test hooks.
// From the built dist/ no preload is needed (pipeline-task.js is plain JavaScript there).
const preload = [new URL('../util/worker-pool.test-register.mjs', import.meta.url).href];
const reg = builtinCodecRegistry();
/** Byte equality without vitest's per-element deep compare (slow on MiB arrays). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

describe('pipelines in a worker pool', () => {
  const pool = new WorkerPool({ size: 2, preload });
  afterAll(() => pool.close());

  it('produces the same bytes as the in-thread pipeline and round-trips', async () => {
    const pos = new Int32Array(200_000);
    for (let i = 1; i < pos.length; i++) pos[i] = pos[i - 1]! + ((i * 7919) % 500) - 20;
    const data = new Uint8Array(pos.buffer);
    const pipeline = 'delta|zigzag|varint|zstd:3';
    const enc = await encodePipelineInPool(pool, pipeline, data, 'i32');
    expect(same(enc, encodePipeline(reg, pipeline, data, 'i32'))).toBe(true);
    const dec = await decodePipelineInPool(pool, pipeline, enc, 'i32');
    expect(same(dec, data)).toBe(true);
    expect(data.byteLength).toBe(800_000); // copied, not moved, by default
  });

  it('moves the input when asked and sends only the viewed bytes of a partial view', async () => {
    const text = new TextEncoder().encode('ACGTNNNNacgt'.repeat(1000));
    const own = text.slice();
    const enc = await encodePipelineInPool(pool, 'nuc2bit|zstd', own, 'bytes', { transfer: true });
    expect(own.byteLength).toBe(0);
    const backing = new Uint8Array(enc.length + 10);
    backing.set(enc, 5);
    const view = backing.subarray(5, 5 + enc.length);
    expect(await decodePipelineInPool(pool, 'nuc2bit|zstd', view, 'bytes', { transfer: true })).toEqual(text);
    expect(backing.byteLength).toBe(enc.length + 10); // a partial view is copied, never detached
    // Identity pipelines hand back a copy, not the worker's view of the input.
    expect(await encodePipelineInPool(pool, 'none', text, 'bytes')).toEqual(text);
  });

  it('keeps error classes across the thread boundary', async () => {
    const bad = await decodePipelineInPool(pool, 'varint|zstd', new Uint8Array([1, 2, 3]), 'u32').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(CorruptDataError);
    expect((bad as Error).message).toContain("stage 2 (zstd, bytes) of pipeline 'varint|zstd'");
    await expect(encodePipelineInPool(pool, 'varint', new Uint8Array(4), 'f32')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('spreads chunks over the workers', async () => {
    const chunks = Array.from({ length: 6 }, (_, k) => {
      const b = new Uint8Array(1 << 20);
      for (let i = 0; i < b.length; i++) b[i] = (i * (k + 3)) ^ (i >>> 7);
      return b;
    });
    const encoded = await Promise.all(chunks.map((c) => encodePipelineInPool(pool, 'zstd:3', c, 'bytes')));
    const decoded = await Promise.all(encoded.map((e) => decodePipelineInPool(pool, 'zstd', e, 'bytes')));
    decoded.forEach((d, k) => expect(same(d, chunks[k]!)).toBe(true));
    expect(pool.started).toBe(2);
    encoded.forEach((e, k) => expect(same(e, encodePipeline(reg, 'zstd:3', chunks[k]!, 'bytes'))).toBe(true));
  });
});
