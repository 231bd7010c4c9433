import { existsSync } from 'node:fs';
import { crc32 as zcrc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as lib from './index.js';
import type { BlockError } from './index.js';

/** Deterministic bytes; `text` makes them compressible (like a VCF), else incompressible. */
function bytes(n: number, seed: number, text = true): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = text ? 'ACGT\t0123456789\n'.charCodeAt((x >>> 0) % 16) : x & 0xff;
  }
  return out;
}

const SIZES = [0, 1, 100, 65_280, 65_536, 3_000_000];
// A C compiler and libdeflate-dev are there (as in CI): then the addon must have been built.
const CAN_BUILD = existsSync('/usr/include/libdeflate.h') && process.env.GENOLAKE_LIBDEFLATE !== '0';

describe('loading', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('with GENOLAKE_LIBDEFLATE=0 it loads as unavailable and every call throws the reason', async () => {
    vi.stubEnv('GENOLAKE_LIBDEFLATE', '0');
    vi.resetModules();
    const off = await import('./index.js');
    expect(off.available).toBe(false);
    expect(off.libdeflateVersion).toBeUndefined();
    expect(off.loadError?.message).toBe('disabled by GENOLAKE_LIBDEFLATE=0');
    expect(() => off.crc32(new Uint8Array(1))).toThrow('@genolake/libdeflate is not available: disabled by GENOLAKE_LIBDEFLATE=0');
    expect(() => off.inflateRaw(new Uint8Array(1), new Uint8Array(1))).toThrow(/not available/);
    const none = new Uint32Array(0);
    await expect(off.inflateBlocksAsync(new Uint8Array(0), none, none, new Uint8Array(0), Uint32Array.of(0), none)).rejects.toThrow(/not available/);
  });

  it.runIf(CAN_BUILD)('loads the native addon where libdeflate-dev is installed', () => {
    expect(lib.loadError).toBeUndefined();
    expect(lib.available).toBe(true);
    expect(lib.libdeflateVersion).toMatch(/^\d+\.\d+/);
  });

  it('reports why it cannot load, without throwing, so callers can fall back to node:zlib', () => {
    const missing = lib.loadAddon('../build/Release/no-such-addon.node', {});
    expect(missing.addon).toBeUndefined();
    expect(missing.error?.message).toMatch(/cannot load the native addon .*npm run build -w @genolake\/libdeflate/);
    const off = lib.loadAddon(undefined, { GENOLAKE_LIBDEFLATE: '0' });
    expect(off.addon).toBeUndefined();
    expect(off.error?.message).toBe('disabled by GENOLAKE_LIBDEFLATE=0');
  });
});

describe.runIf(lib.available)('native libdeflate', () => {
  it.each(SIZES)('deflateRaw/inflateRaw round trip against node:zlib, %i bytes', (n) => {
    for (const text of [true, false]) {
      const data = bytes(n, n + 1, text);
      for (const level of [0, 1, 6, 9, 12]) {
        const out = new Uint8Array(lib.deflateBound(n));
        const size = lib.deflateRaw(data, out, level);
        // zlib reads our deflate...
        expect(Buffer.from(inflateRawSync(out.subarray(0, size))).equals(Buffer.from(data))).toBe(true);
        // ...and we read zlib's.
        const z = deflateRawSync(data, { level: Math.min(level, 9) });
        const back = new Uint8Array(n);
        expect(lib.inflateRaw(z, back)).toBe(n);
        expect(Buffer.from(back).equals(Buffer.from(data))).toBe(true);
      }
    }
  });

  it('crc32 agrees with zlib.crc32, also when continued', () => {
    for (const n of SIZES) {
      const data = bytes(n, 7, false);
      expect(lib.crc32(data)).toBe(zcrc32(data));
      const half = n >> 1;
      expect(lib.crc32(data.subarray(half), lib.crc32(data.subarray(0, half)))).toBe(zcrc32(data));
    }
    expect(lib.crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('throws clear errors on corrupt input and short buffers', () => {
    const data = bytes(10_000, 3);
    const z = deflateRawSync(data);
    const bad = Buffer.from(z);
    bad[0] = 0xff; // reserved block type 3
    expect(() => lib.inflateRaw(bad, new Uint8Array(10_000))).toThrow(expect.objectContaining({ code: 'ERR_LIBDEFLATE_BAD_DATA', message: 'libdeflate: invalid deflate data' }));
    expect(() => lib.inflateRaw(z.subarray(0, z.length >> 1), new Uint8Array(10_000))).toThrow(/invalid deflate data/);
    expect(() => lib.inflateRaw(z, new Uint8Array(9_999))).toThrow(expect.objectContaining({ code: 'ERR_LIBDEFLATE_INSUFFICIENT_SPACE' }));
    expect(() => lib.deflateRaw(bytes(1000, 1, false), new Uint8Array(10), 6)).toThrow(/output buffer of 10 bytes too small/);
    expect(() => lib.deflateRaw(data, new Uint8Array(100), 13)).toThrow(RangeError);
    expect(() => lib.inflateRaw('abc' as unknown as Uint8Array, new Uint8Array(1))).toThrow(/input must be a Uint8Array/);
  });

  /** n blocks of up to 65280 bytes, deflated by zlib, packed as the batch calls want them. */
  function packed(data: Uint8Array, level = 6) {
    const parts: Buffer[] = [];
    const crcs: number[] = [];
    const dstOffsets = [0];
    for (let p = 0; p < data.length || parts.length === 0; p += 65_280) {
      const block = data.subarray(p, p + 65_280);
      parts.push(deflateRawSync(block, { level }));
      crcs.push(zcrc32(block));
      dstOffsets.push(dstOffsets[dstOffsets.length - 1]! + block.length);
    }
    const srcOffsets: number[] = [];
    let at = 0;
    for (const part of parts) {
      srcOffsets.push(at);
      at += part.length;
    }
    return {
      src: Buffer.concat(parts),
      srcOffsets: Uint32Array.from(srcOffsets),
      srcLengths: Uint32Array.from(parts.map((x) => x.length)),
      dstOffsets: Uint32Array.from(dstOffsets),
      crcs: Uint32Array.from(crcs),
    };
  }

  it.each([0, 1, 65_280, 1_000_000])('inflateBlocks and inflateBlocksAsync, %i bytes', async (n) => {
    const data = bytes(n, n + 5, n % 2 === 0);
    const p = packed(data);
    const out = new Uint8Array(n);
    lib.inflateBlocks(p.src, p.srcOffsets, p.srcLengths, out, p.dstOffsets, p.crcs);
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    const out2 = new Uint8Array(n);
    await lib.inflateBlocksAsync(p.src, p.srcOffsets, p.srcLengths, out2, p.dstOffsets, p.crcs);
    expect(Buffer.from(out2).equals(Buffer.from(data))).toBe(true);
  });

  it('batch inflate names the failing block: bad data, wrong size, CRC', async () => {
    const data = bytes(500_000, 9);
    const p = packed(data, 0); // stored blocks: a flipped payload byte still inflates
    const out = new Uint8Array(data.length);
    const failure = async (mutate: (q: ReturnType<typeof packed>) => void) => {
      const q = packed(data, 0);
      mutate(q);
      let sync: BlockError | undefined;
      try {
        lib.inflateBlocks(q.src, q.srcOffsets, q.srcLengths, out, q.dstOffsets, q.crcs);
      } catch (e) {
        sync = e as BlockError;
      }
      const async = (await lib.inflateBlocksAsync(q.src, q.srcOffsets, q.srcLengths, out, q.dstOffsets, q.crcs).catch((e: unknown) => e)) as BlockError;
      expect(async.message).toBe(sync?.message);
      return async;
    };
    let e = await failure((q) => void (q.crcs[5]! ^= 1));
    expect(e).toMatchObject({ code: 'ERR_LIBDEFLATE_CRC', blockIndex: 5, message: 'block 5: CRC32 mismatch' });
    e = await failure((q) => void (q.src[q.srcOffsets[3]! + 100]! ^= 0x40));
    expect(e).toMatchObject({ code: 'ERR_LIBDEFLATE_CRC', blockIndex: 3 });
    e = await failure((q) => void (q.src[q.srcOffsets[2]!] = 0xff));
    expect(e).toMatchObject({ code: 'ERR_LIBDEFLATE_BAD_DATA', blockIndex: 2, message: 'block 2: invalid deflate data' });
    // Block 4 claims one byte more than it holds (and block 5 one fewer): a short block.
    e = await failure((q) => void (q.dstOffsets[5]! += 1));
    expect(e).toMatchObject({ code: 'ERR_LIBDEFLATE_SIZE', blockIndex: 4, actualSize: 65_280, message: 'block 4: inflated 65280 bytes, expected 65281' });
    e = await failure((q) => void (q.dstOffsets[5]! -= 1));
    expect(e).toMatchObject({ code: 'ERR_LIBDEFLATE_SIZE', blockIndex: 4, message: 'block 4: inflates to more than the expected 65279 bytes' });
    expect(p.srcOffsets.length).toBe(8);
  });

  it('batch calls check every offset before touching memory', () => {
    const p = packed(bytes(100_000, 1));
    const out = new Uint8Array(100_000);
    expect(() => lib.inflateBlocks(p.src, p.srcOffsets, p.srcLengths, new Uint8Array(10), p.dstOffsets, p.crcs)).toThrow(/dstOffsets point past the end/);
    expect(() => lib.inflateBlocks(p.src.subarray(0, 10), p.srcOffsets, p.srcLengths, out, p.dstOffsets, p.crcs)).toThrow(/ends past the end of src/);
    expect(() => lib.inflateBlocks(p.src, p.srcOffsets, p.srcLengths, out, p.dstOffsets.subarray(1), p.crcs)).toThrow(/one entry per block/);
    expect(() => lib.inflateBlocks(p.src, p.srcOffsets, p.srcLengths, out, Uint32Array.from([0, 70_000, 60_000]), p.crcs)).toThrow(/non-decreasing/);
    expect(() => lib.inflateBlocks(p.src, [0, 1] as unknown as Uint32Array, p.srcLengths, out, p.dstOffsets, p.crcs)).toThrow(/srcOffsets must be a Uint32Array/);
    expect(() => lib.deflateBlocks(out, Uint32Array.from([0, 200_000]), out, Uint32Array.from([0, 10]), 1, new Uint32Array(1), new Uint32Array(1))).toThrow(
      /srcOffsets point past the end/,
    );
  });

  it.each([1, 6])('deflateBlocks and deflateBlocksAsync at level %i: zlib reads every block; sizes and CRCs', async (level) => {
    const data = bytes(1_000_000, 11);
    const n = Math.ceil(data.length / 65_280);
    const srcOffsets = Uint32Array.from({ length: n + 1 }, (_, k) => Math.min(k * 65_280, data.length));
    const cap = lib.deflateBound(65_280);
    const dstOffsets = Uint32Array.from({ length: n + 1 }, (_, k) => k * cap);
    for (const call of [lib.deflateBlocks, lib.deflateBlocksAsync]) {
      const dst = new Uint8Array(n * cap);
      const sizes = new Uint32Array(n);
      const crcs = new Uint32Array(n);
      await call(data, srcOffsets, dst, dstOffsets, level, sizes, crcs);
      for (let k = 0; k < n; k++) {
        const block = data.subarray(srcOffsets[k], srcOffsets[k + 1]);
        expect(crcs[k]).toBe(zcrc32(block));
        const got = inflateRawSync(dst.subarray(dstOffsets[k], dstOffsets[k]! + sizes[k]!));
        expect(Buffer.from(got).equals(Buffer.from(block))).toBe(true);
      }
    }
    const tight = Uint32Array.from({ length: n + 1 }, (_, k) => k * 100);
    await expect(lib.deflateBlocksAsync(data, srcOffsets, new Uint8Array(n * 100), tight, level, new Uint32Array(n), new Uint32Array(n))).rejects.toMatchObject({
      code: 'ERR_LIBDEFLATE_INSUFFICIENT_SPACE',
      blockIndex: 0,
    });
  });

  it('runs many async batches concurrently on the threadpool, each with its own compressor', async () => {
    const data = bytes(65_280 * 8, 21);
    const srcOffsets = Uint32Array.from({ length: 9 }, (_, k) => k * 65_280);
    const cap = lib.deflateBound(65_280);
    const dstOffsets = Uint32Array.from({ length: 9 }, (_, k) => k * cap);
    const runs = Array.from({ length: 16 }, (_, i) => ({ level: (i % 12) + 1, dst: new Uint8Array(8 * cap), sizes: new Uint32Array(8), crcs: new Uint32Array(8) }));
    await Promise.all(runs.map((r) => lib.deflateBlocksAsync(data, srcOffsets, r.dst, dstOffsets, r.level, r.sizes, r.crcs)));
    await Promise.all(
      runs.map(async (r) => {
        const out = new Uint8Array(data.length);
        const srcLengths = r.sizes;
        await lib.inflateBlocksAsync(r.dst, dstOffsets.subarray(0, 8), srcLengths, out, srcOffsets, r.crcs);
        expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
      }),
    );
  });
});
