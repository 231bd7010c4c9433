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
  Dataset, decodeChunkPages, decodeChunkStreams, explainPlan, fetchChunkHeaders, fetchPlan, groupsOverlapping, InvalidArgumentError,
  mergePlans, planPages, planReads, readChunkHeader, streamNamesFor,
  type ChunkEntry, type ChunkHeader, type ColumnBatch, type ExplainReport, type Host, type NumericColumn, type ObjectStore,
  type PageSelection, type Region,
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

  explain(o: ScanOptions): ExplainReport {
    const streams = streamNamesFor(pafSchema, this.decodeFields(o));
    const regions = o.regions?.length ? o.regions : [undefined];
    const seen = new Set<string>();
    const chunks: ChunkEntry[] = [];
    for (const r of regions) for (const c of this.chunksFor(r)) if (!seen.has(c.key)) (seen.add(c.key), chunks.push(c));
    const notes = [`${chunks.length} of ${this.ds.manifest.chunks.length} chunks after region pruning`, `streams: ${streams.join(', ')}`];
    const grouped = chunks.filter((c) => (c.layout?.groups ?? 1) > 1);
    if (o.regions?.length && grouped.length) {
      notes.push(`${grouped.length} chunks have record groups: a region query reads their headers (${grouped.reduce((n, c) => n + (c.layout?.headerLength ?? 0), 0)} bytes), then only the pages of overlapping groups; the ranges below are the whole-stream upper bound`);
    }
    return explainPlan(planReads(chunks, { streams }), notes);
  }

  /** Headers of `chunks` and the groups of each that overlap `regions`; chunks with none are left out. */
  private async selectGroups(store: ObjectStore, chunks: ChunkEntry[], regions: Region[], signal?: AbortSignal): Promise<PageSelection[]> {
    const headers = await fetchChunkHeaders(store, chunks, { cache: this.headers, ...(signal ? { signal } : {}) });
    const out: PageSelection[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const refId = Number(chunks[i]!.extra?.refId ?? -1);
      const mine = regions.filter((r) => this.header.refId(r.contig) === refId);
      const groups = groupsOverlapping(headers[i]!.groups, mine);
      if (groups.length) out.push({ entry: chunks[i]!, header: headers[i]!, groups });
    }
    return out;
  }

  async *scan(store: ObjectStore, host: Host, o: ScanOptions): AsyncGenerator<ScannedChunk> {
    ensureCodecs(host);
    const fields = this.decodeFields(o);
    const streams = streamNamesFor(pafSchema, fields);
    const passes: (Region[] | undefined)[] = !o.regions?.length ? [undefined] : o.merge ? [o.regions] : o.regions.map((r) => [r]);
    for (const regions of passes) {
      const keys = new Set(regions ? regions.flatMap((r) => this.chunksFor(r).map((c) => c.key)) : []);
      const chunks = regions ? this.ds.manifest.chunks.filter((c) => keys.has(c.key)) : this.ds.manifest.chunks;
      const signal = o.signal ? { signal: o.signal } : {};
      const placed = regions !== undefined && !regions.some((r) => r.contig === '*');
      // Chunks with record groups: headers first, then the overlapping groups' pages. Others
      // (one group, or written before groups existed): header and whole streams in one plan.
      const grouped = placed ? chunks.filter((c) => (c.layout?.groups ?? 1) > 1) : [];
      const selected = grouped.length ? await this.selectGroups(store, grouped, regions!, o.signal) : [];
      const selectionOf = new Map(selected.map((s) => [s.entry.key, s]));
      const rest = grouped.length ? chunks.filter((c) => (c.layout?.groups ?? 1) <= 1) : chunks;
      const rank = new Map(chunks.map((c, i) => [c.key, i]));
      const plan = grouped.length
        ? mergePlans([planPages(selected, { streams }), planReads(rest, { streams })], (k) => rank.get(k)!)
        : planReads(chunks, { streams });
      for await (const got of fetchPlan(store, plan, signal)) {
        const key = got.chunk.key;
        const sel = selectionOf.get(key);
        const batch = sel
          ? decodeChunkPages(sel.header, got.streams, host, { name: key, fields, groups: sel.groups })
          : decodeChunkStreams(readChunkHeader(got.header, key), got.streams, host, { name: key, fields });
        const refId = Number(got.chunk.extra?.refId ?? -1);
        if (got.chunk.extra?.mates === MATES_RELATIVE) restoreMates(batch, refId);
        const mine = regions?.filter((r) => (r.contig === '*' ? refId === -1 : this.header.refId(r.contig) === refId));
        const rows = filterRows(batch, mine, o);
        if (rows.length) yield { chunk: got.chunk, refId: Number(got.chunk.extra?.refId ?? -1), batch, rows };
      }
    }
  }
}

function filterRows(batch: ColumnBatch, regions: Region[] | undefined, o: RecordFilter): number[] {
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
