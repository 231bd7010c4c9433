/**
 * The one index contract (style rule 2): an index maps a query to the chunks, and record
 * ranges inside them, that may hold matching records. It may over-approximate, never miss;
 * the exact filter after decoding removes the extra records.
 */
import type { Region } from '../region.js';

/** A key in a key index: one type per index. Strings order by Unicode code point (= UTF-8 bytes). */
export type IndexKey = string | number | bigint;

/** Inclusive bounds on one field; a missing bound is open. */
export interface FieldRange {
  field: string;
  min?: number | string;
  max?: number | string;
}

export interface FieldEquals {
  field: string;
  value: number | string;
}

export interface IndexQuery {
  /** Genomic regions, 0-based half-open. */
  regions?: Region[];
  ranges?: FieldRange[];
  equals?: FieldEquals[];
  /** Inclusive bounds on the key of a key index. */
  keyRange?: { lo?: IndexKey; hi?: IndexKey };
  /** Keys looked up one by one (read ids, gene names). */
  keys?: IndexKey[];
  /** String keys starting with this. */
  keyPrefix?: string;
}

/** A chunk to read, optionally only records [fromOrdinal, toOrdinal) of it. */
export interface ChunkSelection {
  /** Chunk object key. */
  chunk: string;
  fromOrdinal?: number;
  /** Exclusive. */
  toOrdinal?: number;
}

export interface Index {
  /** Implementation id as written in IndexEntry.kind, e.g. 'sorted-key', 'zone-map'. */
  readonly kind: string;
  /**
   * Chunks that may hold records matching every criterion of the query this index
   * understands; criteria it does not understand select everything it covers.
   */
  lookup(query: IndexQuery, options?: { signal?: AbortSignal }): Promise<ChunkSelection[]>;
}
