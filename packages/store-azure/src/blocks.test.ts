import { describe, expect, it } from 'vitest';
import { stageAll, toBlocks } from './blocks.js';

async function* chunks(sizes: number[]): AsyncIterable<Uint8Array> {
  let v = 0;
  for (const s of sizes) yield Uint8Array.from({ length: s }, () => v++ & 0xff);
}
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('toBlocks', () => {
  it('cuts a stream into full blocks plus a short tail, copying the bytes in order', async () => {
    const blocks = await all(toBlocks(chunks([3, 7, 1, 9]), 8));
    expect(blocks.map((b) => b.byteLength)).toEqual([8, 8, 4]);
    expect([...blocks[1]!]).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    expect(await all(toBlocks(chunks([]), 8))).toEqual([]);
  });
  it('slices in-memory bodies without copying', async () => {
    const body = new Uint8Array(20);
    const blocks = await all(toBlocks(body, 8));
    expect(blocks.map((b) => b.buffer === body.buffer)).toEqual([true, true, true]);
  });
});

describe('stageAll', () => {
  it('keeps at most `concurrency` stages in flight and returns ids in order', async () => {
    let inflight = 0;
    let peak = 0;
    const { ids, size } = await stageAll(toBlocks(chunks([50]), 8), 2, async () => {
      peak = Math.max(peak, ++inflight);
      await new Promise((r) => setTimeout(r, 5));
      inflight--;
    });
    expect(ids).toHaveLength(7);
    expect(new Set(ids.map((i) => Buffer.from(i, 'base64').length)).size).toBe(1);
    expect(size).toBe(50);
    expect(peak).toBe(2);
  });
  it('stops reading and aborts the other stages on the first failure', async () => {
    let read = 0;
    async function* endless(): AsyncIterable<Uint8Array> {
      for (;;) {
        read++;
        yield new Uint8Array(8);
      }
    }
    const aborted: boolean[] = [];
    const p = stageAll(endless(), 3, async (id, _b, signal) => {
      if (aborted.length === 1) throw new Error('stage failed');
      aborted.push(false);
      await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      aborted[0] = signal.aborted;
    });
    await expect(p).rejects.toThrow('stage failed');
    expect(aborted[0]).toBe(true);
    expect(read).toBeLessThan(5);
  });
});
