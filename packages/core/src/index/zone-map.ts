/**
 * Zone maps: prune chunks with the statistics the manifest already holds (genomic span,
 * per-field min/max). Costs no request. A chunk is dropped only when its stats prove that no
 * record can match; a chunk without the relevant stats is kept.
 */
import { overlaps, type Region } from '../region.js';
import type { ChunkEntry } from '../dataset/types.js';
import { compareScalars } from './key-order.js';
import type { ChunkSelection, FieldEquals, FieldRange, Index, IndexQuery } from './types.js';

export interface ChunkPredicate {
  /** 0-based half-open; a chunk matches when its region overlaps any of them. */
  regions?: Region[];
  /** Every range must be satisfiable. */
  ranges?: FieldRange[];
  equals?: FieldEquals[];
}

function regionMayMatch(chunk: ChunkEntry, regions: Region[]): boolean {
  const r = chunk.region;
  if (!r) return true;
  return regions.some((q) => q.contig === r.contig && (overlaps(r.start, r.end, q.start, q.end) || (r.start === r.end && q.start <= r.start && r.start < q.end)));
}

/** False only when [stats.min, stats.max] provably misses [min, max]. */
function rangeMayMatch(chunk: ChunkEntry, field: string, min: number | string | undefined, max: number | string | undefined): boolean {
  const s = chunk.stats?.[field];
  if (!s) return true;
  if (min !== undefined && s.max !== undefined && s.max !== null) {
    const c = compareScalars(s.max, min);
    if (c !== undefined && c < 0) return false;
  }
  if (max !== undefined && s.min !== undefined && s.min !== null) {
    const c = compareScalars(s.min, max);
    if (c !== undefined && c > 0) return false;
  }
  return true;
}

export function chunkMayMatch(chunk: ChunkEntry, p: ChunkPredicate): boolean {
  if (chunk.records === 0) return false;
  if (p.regions && !regionMayMatch(chunk, p.regions)) return false;
  for (const r of p.ranges ?? []) if (!rangeMayMatch(chunk, r.field, r.min, r.max)) return false;
  for (const e of p.equals ?? []) if (!rangeMayMatch(chunk, e.field, e.value, e.value)) return false;
  return true;
}

/** The chunks that may hold a matching record, in their original order. */
export function pruneChunks(chunks: readonly ChunkEntry[], predicate: ChunkPredicate): ChunkEntry[] {
  return chunks.filter((c) => chunkMayMatch(c, predicate));
}

/** The manifest's zone maps as an Index (kind 'zone-map'). */
export class ZoneMapIndex implements Index {
  readonly kind = 'zone-map';
  constructor(private readonly chunks: readonly ChunkEntry[]) {}

  async lookup(query: IndexQuery): Promise<ChunkSelection[]> {
    return pruneChunks(this.chunks, query).map((c) => ({ chunk: c.key }));
  }
}
