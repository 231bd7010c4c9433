/**
 * planReads: from manifest entries to ranged gets, without touching the store. Each chunk
 * needs its header (the stream table) and the streams asked for; ranges of one object are
 * sorted and merged when the gap between them is small, because one request costs more than
 * a few KiB of discarded bytes (an S3 GET is ~20-50 ms to first byte; 64 KiB at 100 MB/s is
 * under 1 ms).
 */
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import type { ChunkEntry } from '../dataset/types.js';
import { requestsFor } from './coalesce.js';
import { HEADER_PART, OBJECT_PART, type PlanOptions, type PlannedChunk, type ReadPlan, type ReadRequest } from './types.js';

export const DEFAULT_COALESCE_GAP = 64 * 1024;
export const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export function checkSize(v: number, what: string, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new InvalidArgumentError(`planReads: ${what} must be an integer >= ${min}, got ${v}`);
  return v;
}

function planChunk(c: ChunkEntry, streams: string[] | 'all'): PlannedChunk {
  const parts = new Map<string, [number, number]>();
  const claim = (part: string, offset: number, length: number): void => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > c.size) {
      throw new CorruptDataError(`manifest layout of chunk ${c.key} puts ${part} at [${offset}, +${length}) outside its ${c.size} bytes`);
    }
    parts.set(part, [offset, length]);
  };
  if (!c.layout) {
    claim(OBJECT_PART, 0, c.size);
    return { entry: c, streams: [], whole: true, parts };
  }
  const names = streams === 'all' ? Object.keys(c.layout.streams) : [...new Set(streams)];
  claim(HEADER_PART, 0, c.layout.headerLength);
  for (const name of names) {
    const loc = c.layout.streams[name];
    if (!loc) {
      throw new InvalidArgumentError(`chunk ${c.key} has no stream "${name}" (it has: ${Object.keys(c.layout.streams).join(', ') || 'none'})`);
    }
    claim(name, loc[0], loc[1]);
  }
  return { entry: c, streams: names, whole: false, parts };
}

export function planReads(chunks: readonly ChunkEntry[], options: PlanOptions = {}): ReadPlan {
  const gap = checkSize(options.coalesceGap ?? DEFAULT_COALESCE_GAP, 'coalesceGap', 0);
  const max = checkSize(options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, 'maxRequestBytes', 1);
  const streams = options.streams ?? 'all';
  const seen = new Set<string>();
  const planned: PlannedChunk[] = [];
  const requests: ReadRequest[] = [];
  let useful = 0;
  for (const c of chunks) {
    if (seen.has(c.key)) throw new InvalidArgumentError(`planReads: chunk ${c.key} is listed twice`);
    seen.add(c.key);
    const p = planChunk(c, streams);
    planned.push(p);
    for (const [, [, length]] of p.parts) useful += length;
    requests.push(...requestsFor(p, gap, max));
  }
  return summarise(planned, requests, useful);
}

/** The plan with its totals. */
export function summarise(planned: PlannedChunk[], requests: ReadRequest[], usefulBytes: number): ReadPlan {
  return {
    chunks: planned,
    requests,
    objects: new Set(requests.map((r) => r.key)).size,
    requestCount: requests.length,
    bytes: requests.reduce((n, r) => n + r.length, 0),
    usefulBytes,
  };
}
