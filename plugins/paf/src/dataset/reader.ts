/**
 * Dataset -> records: prune chunks by region from the manifest alone, plan bounded reads of
 * the header and only the streams needed (the requested fields, plus pos/span for an exact
 * region filter and flag/mapq for flag and quality filters), decode, filter exactly.
 * Overlap is samtools': pos < end of region and pos + span (at least 1) > its start.
 * Chunks are cut into record groups with a genomic span each: a region query reads the chunk
 * headers first (one bounded read each, cached for the dataset's lifetime) and then only the
 * pages of the groups whose span overlaps a region.
 */
import {
  Dataset, decodeChunkPages, decodeChunkStreams, explainPlan, fetchPlan, groupsOverlapping, InvalidArgumentError,
  planGroupedReads, planReads, readChunkHeader, streamNamesFor,
  type ChunkEntry, type ChunkHeader, type ColumnBatch, type FetchedChunk, type GroupedPlan, type PageSelection, type Host, type NumericColumn, type ObjectStore,
  type PlanExplainReport, type ReadPlan, type Region, type CodecRegistry,
} from '@genolake/core';
import { ensureCodecs } from '../codecs/index.js';
import { Header } from '../header.js';
import { MATES_RELATIVE, restoreMates } from './mates.js';
import { FIELDS, pafSchema } from './schema.js';
import type { PafMetadata } from './writer.js';

export interface RecordFilter {
  /** -f: all of these flag bits set. */
  requireFlags?: number;
  /** -F: none of these flag bits set. */
  excludeFlags?: number;
  /** -q: MAPQ at least this. */
  minMapq?: number;
}

export interface ScanOptions extends RecordFilter {
  /** Regions in 0-based half-open coordinates; contig '*' selects unplaced unmapped reads. Each is answered in turn (samtools view without -M). */
  regions?: Region[];
  fields?: string[];
  version?: number;
  /** Answer all regions in one pass, each record once, in dataset order (samtools view -L / -M). */
  merge?: boolean;
  signal?: AbortSignal;
}

/** One decoded chunk and the rows that passed the filters. */
export interface ScannedChunk {
  chunk: ChunkEntry;
  refId: number;
  batch: ColumnBatch;
  rows: number[];
}

export class PafDataset {
  /** Chunk headers read so far (chunks are immutable), by object key. */
  private readonly headers = new Map<string, ChunkHeader>();

  private constructor(readonly ds: Dataset, readonly meta: PafMetadata, readonly header: Header) {}

  static async open(store: ObjectStore, version?: number): Promise<PafDataset> {
    const ds = await Dataset.open(store, version !== undefined ? { version } : {});
    const meta = ds.manifest.metadata as unknown as PafMetadata;
    return new PafDataset(ds, meta, new Header(meta.headerText ?? '', meta.contigs ?? []));
  }

  /** Chunks answering one region (or all, in manifest order). */
  chunksFor(region: Region | undefined): ChunkEntry[] {
    const all = this.ds.manifest.chunks;
    if (!region) return all;
    if (region.contig === '*') return all.filter((c) => c.extra?.refId === -1);
    const refId = this.header.refId(region.contig);
    if (refId < 0) throw new InvalidArgumentError(`region ${region.contig}: no such reference in the dataset (it has ${this.header.refs.length})`);
    return all.filter((c) => c.extra?.refId === refId && c.region !== undefined && c.region.start < region.end && c.region.end > region.start);
  }

  /** Fields decoded for a scan: the projection plus what the filters need. */
  decodeFields(o: ScanOptions): string[] {
    const fields = o.fields ?? FIELDS;
    for (const f of fields) if (!FIELDS.includes(f)) throw new InvalidArgumentError(`unknown field "${f}" (fields: ${FIELDS.join(', ')})`);
    const need = new Set(fields);
    if (o.regions?.length) for (const f of ['pos', 'span', 'flag']) need.add(f);
    if (o.requireFlags || o.excludeFlags) need.add('flag');
    if (o.minMapq) need.add('mapq');
    // Mate fields may be stored relative to pos (mates.ts).
    if (need.has('nextPos') || need.has('tlen')) for (const f of ['pos', 'nextRefId', 'nextPos']) need.add(f);
    return FIELDS.filter((f) => need.has(f));
  }

  /**
   * The passes a scan makes: all records in one pass, all regions in one pass (merge), or
   * one pass per region, answered in turn.
   */
  private passes(o: ScanOptions): (Region[] | undefined)[] {
    return !o.regions?.length ? [undefined] : o.merge ? [o.regions] : o.regions.map((r) => [r]);
  }

  /** The regions of `regions` on the chunk's reference ('*' for the unplaced partition). */
  private regionsOn(refId: number, regions: Region[]): Region[] {
    return regions.filter((r) => (r.contig === '*' ? refId === -1 : this.header.refId(r.contig) === refId));
  }

  /**
   * The read plan of one pass, shared by `scan` (which fetches it) and `explain` (which
   * prints it), so the two cannot disagree. A placed-region pass reads the headers of chunks
   * with record groups (cached for the dataset's lifetime) and plans only the pages of the
   * groups whose span overlaps a region; unplaced reads and whole scans plan whole streams.
   */
  private planPass(store: ObjectStore, regions: Region[] | undefined, streams: readonly string[], signal?: AbortSignal): Promise<GroupedPlan> {
    const keys = new Set(regions ? regions.flatMap((r) => this.chunksFor(r).map((c) => c.key)) : []);
    const chunks = regions ? this.ds.manifest.chunks.filter((c) => keys.has(c.key)) : this.ds.manifest.chunks;
    const placed = regions !== undefined && !regions.some((r) => r.contig === '*');
    if (!placed) return Promise.resolve({ plan: planReads(chunks, { streams: [...streams] }), selections: [], headerReads: [] });
    return planGroupedReads(store, chunks, {
      streams,
      headerCache: this.headers,
      selectGroups: (entry, header) => groupsOverlapping(header.groups, this.regionsOn(Number(entry.extra?.refId ?? -1), regions)),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * What a scan with these options reads, planned the way `scan` plans it: the chunk-header
   * reads (for choosing record groups) listed apart from the data reads, and no data read.
   * Headers already cached by this dataset are not read again, as in a scan.
   */
  async explain(store: ObjectStore, o: ScanOptions): Promise<PlanExplainReport> {
    const streams = streamNamesFor(pafSchema, this.decodeFields(o));
    const passes = this.passes(o);
    const plans: GroupedPlan[] = [];
    for (const regions of passes) plans.push(await this.planPass(store, regions, streams, o.signal));
    const pruned = new Set(passes.flatMap((rs) => (rs ? rs.flatMap((r) => this.chunksFor(r).map((c) => c.key)) : this.ds.manifest.chunks.map((c) => c.key))));
    const notes = [`${pruned.size} of ${this.ds.manifest.chunks.length} chunks after region pruning`];
    const pages = plans.reduce((n, p) => n + p.selections.reduce((m, s) => m + s.groups.length, 0), 0);
    if (pages) notes.push(`record groups: ${pages} groups overlap the regions; only their pages are read`);
    if (passes.length > 1) notes.push(`${passes.length} regions answered in turn: each region's reads follow the previous region's (a chunk two regions need is read twice)`);
    return explainPlan(concatPlans(plans.map((p) => p.plan)), notes, plans.flatMap((p) => p.headerReads));
  }

  /**
   * The fetched, not yet decoded, chunks of a scan, pass by pass: what `scan` decodes here and
   * the SAM worker path (sam-workers.ts) decodes in the pool. `sel` is set when only some
   * record groups' pages were read.
   */
  async *fetched(store: ObjectStore, host: Host, o: ScanOptions): AsyncGenerator<FetchedPart> {
    ensureCodecs(host);
    const streams = streamNamesFor(pafSchema, this.decodeFields(o));
    const signal = o.signal ? { signal: o.signal } : {};
    for (const regions of this.passes(o)) {
      const { plan, selections } = await this.planPass(store, regions, streams, o.signal);
      const selectionOf = new Map(selections.map((s) => [s.entry.key, s]));
      for await (const got of fetchPlan(store, plan, signal)) {
        const refId = Number(got.chunk.extra?.refId ?? -1);
        yield { got, sel: selectionOf.get(got.chunk.key), refId, regions: regions && this.regionsOn(refId, regions) };
      }
    }
  }

  async *scan(store: ObjectStore, host: Host, o: ScanOptions): AsyncGenerator<ScannedChunk> {
    const fields = this.decodeFields(o);
    for await (const part of this.fetched(store, host, o)) {
      const batch = decodePart(part, host, fields);
      const rows = filterRows(batch, part.regions, o);
      if (rows.length) yield { chunk: part.got.chunk, refId: part.refId, batch, rows };
    }
  }
}

/** A fetched chunk of a scan and what decoding and filtering it needs. */
export interface FetchedPart {
  got: FetchedChunk;
  /** The record groups read, when not the whole chunk. */
  sel: PageSelection | undefined;
  refId: number;
  /** The pass's regions on this chunk's reference; undefined: no region filter. */
  regions: Region[] | undefined;
}

/** Decodes a fetched chunk's fields (its selected groups, or only `group` of them, or all), mate fields made absolute. */
export function decodePart(part: FetchedPart, host: CodecRegistry, fields: string[], group?: number, header = partHeader(part)): ColumnBatch {
  const { got, sel } = part;
  const key = got.chunk.key;
  const batch = sel
    ? decodeChunkPages(header, got.streams, host, { name: key, fields, groups: group === undefined ? sel.groups : [group] })
    : decodeChunkStreams(header, got.streams, host, { name: key, fields });
  if (got.chunk.extra?.mates === MATES_RELATIVE) restoreMates(batch, part.refId);
  return batch;
}

/** The chunk header of a fetched part (parsed from its bytes when the part is not paged). */
export function partHeader(part: FetchedPart): ChunkHeader {
  return part.sel?.header ?? readChunkHeader(part.got.header, part.got.chunk.key);
}

/** Plans run one after another (a scan's passes) as one plan for explainPlan: their reads in order. */
function concatPlans(plans: readonly ReadPlan[]): ReadPlan {
  if (plans.length === 1) return plans[0]!;
  const requests = plans.flatMap((p) => p.requests);
  return {
    chunks: plans.flatMap((p) => p.chunks),
    requests,
    objects: new Set(requests.map((r) => r.key)).size,
    requestCount: requests.length,
    bytes: plans.reduce((n, p) => n + p.bytes, 0),
    usefulBytes: plans.reduce((n, p) => n + p.usefulBytes, 0),
  };
}

/** Rows of `batch` inside `regions` (samtools view's overlap) that pass the flag and MAPQ filters. */
export function filterRows(batch: ColumnBatch, regions: Region[] | undefined, o: RecordFilter): number[] {
  const c = batch.columns;
  const pos = (c.pos as NumericColumn | undefined)?.values;
  const span = (c.span as NumericColumn | undefined)?.values;
  const flag = (c.flag as NumericColumn | undefined)?.values;
  const mapq = (c.mapq as NumericColumn | undefined)?.values;
  const req = o.requireFlags ?? 0, exc = o.excludeFlags ?? 0, minQ = o.minMapq ?? 0;
  const placed = regions !== undefined && !regions.some((r) => r.contig === '*');
  const rows: number[] = [];
  for (let i = 0; i < batch.length; i++) {
    if (placed) {
      const p = pos![i] as number;
      if (p < 0) continue;
      const s = span![i] as number;
      const end = p + ((flag![i] as number) & 4 || s === 0 ? 1 : s);
      let hit = false;
      for (const r of regions) if (p < r.end && end > r.start) (hit = true);
      if (!hit) continue;
    }
    if (flag && ((flag[i] as number) & req) !== req) continue;
    if (flag && (flag[i] as number) & exc) continue;
    if (minQ && (mapq![i] as number) < minQ) continue;
    rows.push(i);
  }
  return rows;
}
