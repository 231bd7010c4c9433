/**
 * planGroupedReads: the read plan of a query over chunks that may have record groups, as the
 * query itself runs it. Chunks with more than one group have their headers read first (one
 * bounded read each, metadata only; see fetchChunkHeaders), the caller picks the groups it
 * needs from each header, and only those groups' pages are planned; other chunks are planned
 * whole (header and streams in one coalesced plan). The header reads are returned apart from
 * the plan, range by range, so `--explain` can show both without reading any data.
 */
import type { ChunkHeader } from '../chunk/header.js';
import type { ChunkEntry } from '../dataset/types.js';
import type { GetOptions, ObjectStore } from '../store/types.js';
import { fetchChunkHeaders } from './headers.js';
import { mergePlans } from './merge.js';
import { planPages, type PageSelection } from './plan-pages.js';
import { planReads } from './plan-reads.js';
import type { ReadPlan } from './types.js';

/** One ranged get made to read a chunk header. */
export interface HeaderRead {
  key: string;
  offset: number;
  length: number;
}

export interface PlanGroupedOptions {
  /** Streams to read from every chunk (every selected group of a chunk with groups). */
  streams: readonly string[];
  /** Groups of `entry` to read, ascending; empty leaves the chunk out of the plan. */
  selectGroups(entry: ChunkEntry, header: ChunkHeader): readonly number[];
  /** Parsed headers by object key, read first and filled (chunks are immutable). */
  headerCache?: Map<string, ChunkHeader>;
  /** Header reads in flight at most (default 8). */
  concurrency?: number;
  coalesceGap?: number;
  maxRequestBytes?: number;
  signal?: AbortSignal;
}

export interface GroupedPlan {
  /** Data reads (and, for chunks without groups, their headers) in chunk order. */
  plan: ReadPlan;
  /** The chunks read by pages, with their headers and groups, for decodeChunkPages. */
  selections: PageSelection[];
  /** Reads made for headers before planning; empty when all were cached. */
  headerReads: HeaderRead[];
}

/** Whether a chunk is planned by pages (its manifest entry says it has record groups). */
export function hasRecordGroups(entry: ChunkEntry): boolean {
  return (entry.layout?.groups ?? 1) > 1;
}

/** Records the ranged gets it passes on (only get is used by fetchChunkHeaders). */
function recording(store: ObjectStore, reads: HeaderRead[]): ObjectStore {
  return {
    url: store.url,
    capabilities: store.capabilities,
    async get(key: string, options?: GetOptions) {
      const bytes = await store.get(key, options);
      reads.push({ key, offset: options?.range?.offset ?? 0, length: bytes.length });
      return bytes;
    },
    head: (key, options) => store.head(key, options),
    put: (key, body, options) => store.put(key, body, options),
    list: (prefix, options) => store.list(prefix, options),
    delete: (key, options) => store.delete(key, options),
  };
}

export async function planGroupedReads(store: ObjectStore, chunks: readonly ChunkEntry[], options: PlanGroupedOptions): Promise<GroupedPlan> {
  const sizes = {
    ...(options.coalesceGap !== undefined ? { coalesceGap: options.coalesceGap } : {}),
    ...(options.maxRequestBytes !== undefined ? { maxRequestBytes: options.maxRequestBytes } : {}),
  };
  const grouped = chunks.filter(hasRecordGroups);
  if (grouped.length === 0) return { plan: planReads(chunks, { streams: [...options.streams], ...sizes }), selections: [], headerReads: [] };
  const headerReads: HeaderRead[] = [];
  const headers = await fetchChunkHeaders(recording(store, headerReads), grouped, {
    ...(options.headerCache ? { cache: options.headerCache } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const selections: PageSelection[] = [];
  for (let i = 0; i < grouped.length; i++) {
    const groups = options.selectGroups(grouped[i]!, headers[i]!);
    if (groups.length) selections.push({ entry: grouped[i]!, header: headers[i]!, groups });
  }
  const rest = chunks.filter((c) => !hasRecordGroups(c));
  const rank = new Map(chunks.map((c, i) => [c.key, i]));
  const plan = mergePlans(
    [planPages(selections, { streams: options.streams, ...sizes }), planReads(rest, { streams: [...options.streams], ...sizes })],
    (k) => rank.get(k)!,
  );
  // Parallel reads finish in any order; report them in chunk order, then offset order.
  headerReads.sort((a, b) => rank.get(a.key)! - rank.get(b.key)! || a.offset - b.offset);
  return { plan, selections, headerReads };
}
