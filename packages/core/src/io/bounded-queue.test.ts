import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('delivers in order and makes producers wait while full', async () => {
    const q = new BoundedQueue<number>(2);
    await q.push(1);
    await q.push(2);
    let third = false;
    const p = q.push(3).then(() => void (third = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(third).toBe(false);
    const it = q[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(1);
    await p;
    q.close();
    const rest: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest).toEqual([2, 3]);
  });

  it('fail() wakes blocked producers and makes the consumer throw', async () => {
    const q = new BoundedQueue<number>(1);
    await q.push(1);
    const blocked = q.push(2);
    q.fail(new Error('upload failed'));
    await expect(blocked).rejects.toThrow('upload failed');
    await expect(q[Symbol.asyncIterator]().next()).rejects.toThrow('upload failed');
  });

  it('a consumer that stops early releases producers', async () => {
    const q = new BoundedQueue<number>(1);
    await q.push(1);
    const second = q.push(2); // waits for room; taking item 1 lets it in
    for await (const _ of q) break;
    await second;
    await expect(q.push(3)).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
