/**
 * planPages: ranged gets for some record groups of chunks whose headers are already known
 * (docs/formats/chunk.md, "Record groups"). Per chunk, each needed stream's pages of the
 * selected groups; pages of one stream are stored back to back, so consecutive groups make one
 * range per stream, and small streams next to each other coalesce across the gap.
 */
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import type { ChunkHeader } from '../chunk/header.js';
import { pagePartName } from '../chunk/groups.js';
import type { ChunkEntry } from '../dataset/types.js';
import { requestsFor } from './coalesce.js';
import { checkSize, DEFAULT_COALESCE_GAP, DEFAULT_MAX_REQUEST_BYTES, summarise } from './plan-reads.js';
import type { PlannedChunk, ReadPlan, ReadRequest } from './types.js';

export interface PageSelection {
  entry: ChunkEntry;
  header: ChunkHeader;
  /** Group indices to read, ascending. */
  groups: readonly number[];
}

export interface PlanPagesOptions {
  /** Streams to read from every selected group. */
  streams: readonly string[];
  /** As in planReads (default 64 KiB). */
  coalesceGap?: number;
  /** As in planReads (default 16 MiB). */
  maxRequestBytes?: number;
}

function planOne(sel: PageSelection, streams: readonly string[]): PlannedChunk {
  const { entry, header, groups } = sel;
  const index = new Map(header.streams.map((s, i) => [s.name, i]));
  const parts = new Map<string, [number, number]>();
  const names: string[] = [];
  for (const stream of new Set(streams)) {
    const i = index.get(stream);
    if (i === undefined) throw new InvalidArgumentError(`chunk ${entry.key} has no stream "${stream}"`);
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k]!;
      if (!Number.isInteger(g) || g < 0 || g >= header.groups.length || (k > 0 && g <= groups[k - 1]!)) {
        throw new InvalidArgumentError(`planPages: groups of ${entry.key} must be ascending indices below ${header.groups.length}`);
      }
      const p = header.groups[g]!.pages[i]!;
      if (p.offset + p.length > entry.size) throw new CorruptDataError(`chunk ${entry.key}: page ${pagePartName(stream, g)} ends past the object's ${entry.size} bytes`);
      const part = pagePartName(stream, g);
      parts.set(part, [p.offset, p.length]);
      names.push(part);
    }
  }
  return { entry, streams: names, whole: false, parts };
}

/** The plan reads no headers: the caller has them (see fetchChunkHeaders). */
export function planPages(selections: readonly PageSelection[], options: PlanPagesOptions): ReadPlan {
  const gap = checkSize(options.coalesceGap ?? DEFAULT_COALESCE_GAP, 'coalesceGap', 0);
  const max = checkSize(options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, 'maxRequestBytes', 1);
  const seen = new Set<string>();
  const planned: PlannedChunk[] = [];
  const requests: ReadRequest[] = [];
  let useful = 0;
  for (const sel of selections) {
    if (seen.has(sel.entry.key)) throw new InvalidArgumentError(`planPages: chunk ${sel.entry.key} is listed twice`);
    seen.add(sel.entry.key);
    const p = planOne(sel, options.streams);
    planned.push(p);
    for (const [, [, length]] of p.parts) useful += length;
    requests.push(...requestsFor(p, gap, max));
  }
  return summarise(planned, requests, useful);
}
