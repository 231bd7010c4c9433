/**
 * fetchPlan: runs a read plan with a bounded pool of parallel ranged gets and yields chunks in
 * plan order as each completes. Memory stays bounded: requests are only started for the next
 * `concurrency` chunks not yet taken by the consumer, and only while the bytes fetched for chunks
 * not yet taken stay under `maxBufferedBytes` (the next chunk is always allowed, so a chunk
 * larger than the budget still makes progress). With 64 MiB chunks the chunk window alone let
 * ~900 MiB pile up (measured on radosgw); the byte budget caps it.
 */
import { AbortedError, CorruptDataError, InvalidArgumentError } from '../errors.js';
import type { ChunkEntry } from '../dataset/types.js';
import type { ObjectStore } from '../store/types.js';
import { checkConcurrency } from './pool.js';
import { HEADER_PART, OBJECT_PART, type PlannedChunk, type ReadPlan, type ReadRequest } from './types.js';

/** Default byte budget for fetched-but-not-yet-consumed chunks. */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

export interface FetchedChunk {
  chunk: ChunkEntry;
  /** The header bytes; the whole object when the chunk has no layout. */
  header: Uint8Array;
  /** The requested streams by name. */
  streams: Map<string, Uint8Array>;
}

export interface FetchPlanOptions {
  /** Requests in flight at most, and chunks buffered at most (default 8). */
  concurrency?: number;
  /** Bytes fetched for chunks not yet taken by the consumer, at most (default 256 MiB). */
  maxBufferedBytes?: number;
  signal?: AbortSignal;
}

interface Slot {
  plan: PlannedChunk;
  /** Bytes of this chunk's requests started so far (released when the chunk is taken). */
  started: number;
  requests: ReadRequest[];
  pending: number;
  /** Part name -> assembled bytes (views into request buffers when a part fits one request). */
  parts: Map<string, Uint8Array>;
}

function place(slot: Slot, req: ReadRequest, data: Uint8Array): void {
  for (const piece of req.parts) {
    const [start, length] = slot.plan.parts.get(piece.part)!;
    const view = data.subarray(piece.offset - req.offset, piece.offset - req.offset + piece.length);
    if (piece.length === length) {
      slot.parts.set(piece.part, view);
      continue;
    }
    // A part split over several requests (larger than maxRequestBytes): assemble it.
    let buf = slot.parts.get(piece.part);
    if (!buf) slot.parts.set(piece.part, (buf = new Uint8Array(length)));
    buf.set(view, piece.offset - start);
  }
}

function finish(slot: Slot): FetchedChunk {
  const part = (name: string): Uint8Array => slot.parts.get(name) ?? new Uint8Array(0);
  const streams = new Map<string, Uint8Array>();
  for (const s of slot.plan.streams) streams.set(s, part(s));
  return { chunk: slot.plan.entry, header: part(slot.plan.whole ? OBJECT_PART : HEADER_PART), streams };
}

export async function* fetchPlan(store: ObjectStore, plan: ReadPlan, options: FetchPlanOptions = {}): AsyncIterable<FetchedChunk> {
  const concurrency = checkConcurrency(options.concurrency ?? 8, 'fetchPlan');
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  if (!(maxBuffered > 0)) throw new InvalidArgumentError(`fetchPlan: maxBufferedBytes must be positive, got ${maxBuffered}`);
  let buffered = 0;
  const byKey = new Map<string, Slot>();
  const slots: Slot[] = plan.chunks.map((p) => {
    const s: Slot = { plan: p, started: 0, requests: [], pending: 0, parts: new Map() };
    byKey.set(p.entry.key, s);
    return s;
  });
  const queue: { req: ReadRequest; chunk: number }[] = [];
  const index = new Map(slots.map((s, i) => [s, i]));
  for (const req of plan.requests) {
    const slot = byKey.get(req.key);
    if (!slot) throw new InvalidArgumentError(`fetchPlan: request for ${req.key} matches no chunk of the plan`);
    slot.pending++;
    queue.push({ req, chunk: index.get(slot)! });
  }

  // Our own controller: stops in-flight gets when the consumer stops early or one get fails.
  const ctl = new AbortController();
  let next = 0;
  let inFlight = 0;
  let yielded = 0;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const onAbort = (): void => {
    ctl.abort(options.signal?.reason);
    notify();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const start = (): void => {
    while (!failure && inFlight < concurrency && next < queue.length && queue[next]!.chunk < yielded + concurrency) {
      const { req, chunk } = queue[next]!;
      // The chunk the consumer waits for is always allowed; later ones only within the budget.
      if (chunk !== yielded && buffered + req.length > maxBuffered) break;
      next++;
      const slot = slots[chunk]!;
      slot.started += req.length;
      buffered += req.length;
      inFlight++;
      store
        .get(req.key, { range: { offset: req.offset, length: req.length }, signal: ctl.signal })
        .then((data) => {
          if (data.byteLength !== req.length) {
            throw new CorruptDataError(
              `short read from ${store.url}/${req.key}: bytes ${req.offset}-${req.offset + req.length - 1} returned ${data.byteLength} of ${req.length} bytes (object truncated?)`,
            );
          }
          place(slot, req, data);
          slot.pending--;
        })
        .catch((error: unknown) => {
          failure ??= { error };
          ctl.abort(error);
        })
        .finally(() => {
          inFlight--;
          notify();
        });
    }
  };

  try {
    while (yielded < slots.length) {
      if (options.signal?.aborted) throw new AbortedError('fetch aborted', { cause: options.signal.reason });
      start();
      if (failure) throw failure.error;
      const slot = slots[yielded]!;
      if (slot.pending === 0) {
        yielded++;
        const out = finish(slot);
        slot.parts = new Map(); // release the buffers once handed over
        buffered -= slot.started;
        yield out;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        // A signal fired while waiting must not leave us asleep.
        if (options.signal?.aborted || failure) resolve();
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (yielded < slots.length || inFlight > 0) ctl.abort(new AbortedError('fetch stopped before the plan completed'));
  }
}
