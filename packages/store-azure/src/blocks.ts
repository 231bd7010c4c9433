/**
 * Streamed bodies cut into fixed-size blocks, and a bounded pool that stages them.
 *
 * Memory stays at most (concurrency + 1) blocks whatever the body size: one block being
 * filled, `concurrency` being uploaded. With the defaults (8 MiB blocks, 3 in flight) that is
 * 32 MiB; Azure's 50,000-block limit then caps one object at ~390 GiB.
 */
import { randomBytes } from 'node:crypto';
import { throwIfAborted } from '@genolake/core';
import type { PutBody } from '@genolake/core';

/**
 * Yields blocks of exactly `size` bytes (the last may be shorter; none when the body is
 * empty). Stream chunks are copied into fresh blocks, so producers may reuse their buffers;
 * an in-memory body is sliced without copying.
 */
export async function* toBlocks(body: PutBody, size: number, signal?: AbortSignal, what = 'put'): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let o = 0; o < body.byteLength; o += size) yield body.subarray(o, Math.min(o + size, body.byteLength));
    return;
  }
  let block = new Uint8Array(size);
  let fill = 0;
  for await (const chunk of body) {
    throwIfAborted(signal, what);
    let o = 0;
    while (o < chunk.byteLength) {
      const n = Math.min(size - fill, chunk.byteLength - o);
      block.set(chunk.subarray(o, o + n), fill);
      fill += n;
      o += n;
      if (fill === size) {
        yield block;
        block = new Uint8Array(size);
        fill = 0;
      }
    }
  }
  throwIfAborted(signal, what);
  if (fill > 0) yield block.subarray(0, fill);
}

/**
 * Block ids for one upload: a random per-upload token (two writers staging the same blob
 * never overwrite each other's blocks) plus the index; all of equal length, as Azure requires.
 */
export function blockIdFactory(): (index: number) => string {
  const token = randomBytes(6).toString('hex');
  return (index) => Buffer.from(`${token}-${String(index).padStart(6, '0')}`).toString('base64');
}

/**
 * Runs `stage` for each block with at most `concurrency` in flight; returns the ids in
 * order. On the first failure it stops reading the body, aborts the other stages through
 * the signal it passes them, waits for them, and rethrows that failure.
 */
export async function stageAll(
  blocks: AsyncIterable<Uint8Array>,
  concurrency: number,
  stage: (id: string, block: Uint8Array, signal: AbortSignal) => Promise<void>,
  signal?: AbortSignal,
): Promise<{ ids: string[]; size: number }> {
  const idOf = blockIdFactory();
  const stop = new AbortController();
  const combined = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const inflight = new Set<Promise<void>>();
  const ids: string[] = [];
  let size = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    if (!failure) failure = { error };
    stop.abort();
  };
  try {
    for await (const block of blocks) {
      if (failure) break;
      const id = idOf(ids.length);
      ids.push(id);
      size += block.byteLength;
      const p: Promise<void> = stage(id, block, combined).then(
        () => void inflight.delete(p),
        (e: unknown) => {
          inflight.delete(p);
          fail(e);
        },
      );
      inflight.add(p);
      while (inflight.size >= concurrency && !failure) await Promise.race(inflight);
      if (failure) break;
    }
  } catch (e) {
    fail(e); // the body itself failed
  }
  await Promise.all(inflight);
  if (failure) throw failure.error;
  return { ids, size };
}
