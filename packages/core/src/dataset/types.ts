/**
 * Manifest shapes (JSON). The manifest versions under `_manifest/` are the truth about a
 * dataset; `_metadata.json` is a readable copy of the latest one. Specified in
 * docs/formats/dataset.md.
 */

/** Per-field statistics of one chunk; min/max are JSON scalars (bigint as decimal string). */
export interface FieldStats {
  min?: number | string | boolean | null;
  max?: number | string | boolean | null;
  nulls?: number;
  count?: number;
}

/** Where the records of a chunk came from and how they were converted. */
export interface Provenance {
  /** Source name or URL (secrets stripped). */
  source?: string;
  /** 'sha256:<hex>' of the source bytes, when known. */
  sourceDigest?: string;
  tool: string;
  toolVersion: string;
  /** Conversion options that change the data (codecs, lossy options, chunk size). */
  options?: Record<string, unknown>;
  createdAt: string;
}

export interface ChunkEntry {
  /** Object key relative to the dataset root. */
  key: string;
  /** Partition label, e.g. contig name or 'unmapped'. */
  partition: string;
  records: number;
  /** Object size in bytes. */
  size: number;
  /** 'sha256:<hex>' of the whole object. */
  digest: string;
  /** Sort-key range covered, as JSON tuples (e.g. [contigIndex, pos]). */
  keyRange?: { min: unknown[]; max: unknown[] };
  /** Genomic span of the records, 0-based half-open. */
  region?: { contig: string; start: number; end: number };
  /** Per-field stats for zone-map pruning. */
  stats?: Record<string, FieldStats>;
  /**
   * Chunk container layout so planning needs no extra reads: header length and stream extents
   * (all pages of a stream), plus the number of record groups when more than one (their spans
   * and page offsets are in the chunk header: one bounded read of headerLength bytes).
   */
  layout?: { headerLength: number; streams: Record<string, [offset: number, length: number]>; groups?: number };
  /** Index into Manifest.provenance. */
  provenance?: number;
  /** Manifest version that added this chunk. */
  addedIn?: number;
  /**
   * Key of the chunk whose records this object adds columns to (a sample batch beside a sites
   * file): the same rows, so record totals count them once, under that chunk.
   */
  columnsOf?: string;
  /** Free-form per-chunk data a driver needs (e.g. samples batch id). */
  extra?: Record<string, unknown>;
}

export interface IndexEntry {
  /** Index name, e.g. 'read-name' or 'chr1'. */
  name: string;
  /** Index implementation id, e.g. 'sorted-key'. */
  kind: string;
  key: string;
  size: number;
  digest: string;
  extra?: Record<string, unknown>;
}

export interface Operation {
  /** 'create' | 'append' | 'replace' | 'add-samples' | 'delete' | ... */
  kind: string;
  summary?: string;
  /** How many times the commit was rebased onto a concurrent writer's version. */
  rebased?: number;
  /** Writer id given to `begin()`, for the log. */
  writer?: string;
  /** Random token of the transaction that made the version (also in its chunk keys). */
  transaction?: string;
}

export interface Manifest {
  /** Version of the manifest JSON layout itself. */
  manifestVersion: 1;
  /** Dataset version number: 1, 2, ... */
  version: number;
  parent: number | null;
  createdAt: string;
  /** Driver name, e.g. 'paf'. */
  format: string;
  /** Version of the driver's own layout, e.g. '1.0'. */
  formatVersion: string;
  /** Format-level metadata: header text, contigs, samples, schema. */
  metadata: Record<string, unknown>;
  chunks: ChunkEntry[];
  indexes: IndexEntry[];
  provenance: Provenance[];
  operation: Operation;
}

/** One problem `verifyDataset` found; verification collects them all instead of throwing. */
export interface VerifyProblem {
  key: string;
  kind: 'missing' | 'size' | 'digest' | 'corrupt';
  message: string;
}

export interface VerifyReport {
  /** The version verified (the newest one when several were). */
  version: number;
  /** Every version whose objects were checked. */
  versions: number[];
  /** Distinct objects checked. */
  objects: number;
  /** Bytes read. */
  bytes: number;
  problems: VerifyProblem[];
}

export interface VacuumResult {
  /** Objects deleted (or that would be, on a dry run), manifest versions included. */
  deleted: { key: string; size: number }[];
  bytes: number;
  retainedVersions: number[];
}
