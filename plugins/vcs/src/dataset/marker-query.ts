/**
 * The marker-major read path: a table query (tsv, jsonl, arrow, parquet) over regions, without
 * `--where`, whose fields are CHROM/POS/ID/REF/ALT and FORMAT keys of the markers objects
 * (markers.ts) is answered from those objects alone — per part and markers object one index page
 * and one span of blocks, instead of every sample-batch file's footer and column chunks. Any
 * other query (or a part whose markers objects do not cover the wanted samples and keys) takes
 * the sample-major path. Rows, order and cells are those of the sample-major path.
 */
import type { Host, ObjectStore, Region } from '@genolake/core';
import { cell, type OutColumn } from '../query/project.js';
import type { Cell, TableWriter } from '../query/output/table-writer.js';
import { markersObjects, owners, readObjectMarkers, type Marker, type PageCache } from './markers.js';
import type { Part, VcsDataset } from './reader.js';

const SITE_FIELDS = new Set(['CHROM', 'POS', 'ID', 'REF', 'ALT']);

/** Whether the marker path can answer the query (the columns and the request's shape). */
export function markerEligible(columns: readonly OutColumn[], regions: readonly Region[] | undefined, where: unknown): boolean {
  if (!regions?.length || where !== undefined || !columns.length) return false;
  return columns.every((c) => (c.field.scope === 'site' ? SITE_FIELDS.has(c.field.column) : c.field.index === undefined));
}

/**
 * Writes the rows of the marker path to `w`; returns the row count, or undefined (nothing
 * written) when some kept part cannot be answered from markers objects.
 */
export async function markerQuery(ds: VcsDataset, store: ObjectStore, host: Host, regions: Region[], columns: readonly OutColumn[], w: TableWriter, limit: number, signal?: AbortSignal, pages?: (key: string) => PageCache): Promise<number | undefined> {
  const samples = [...new Set(columns.flatMap((c) => (c.sample === undefined ? [] : [c.sample])))];
  const keys = [...new Set(columns.filter((c) => c.field.scope === 'format').map((c) => c.field.column))];
  const parts = ds.parts(store, host, { regions, ...(signal ? { signal } : {}) });
  const plans: { part: Part; objects: ReturnType<typeof markersObjects>; owner: Int32Array }[] = [];
  for (const part of parts) {
    const objects = markersObjects(part.markers);
    const owner = owners(objects, samples, keys);
    if (owner.includes(-1)) return undefined; // some sample has no markers object here: the sample-major path
    plans.push({ part, objects, owner });
  }
  const zstd = host.getCodec('zstd');
  const sampleAt = new Map(samples.map((s, j) => [s, j]));
  let n = 0;
  for (const { part, objects, owner } of plans) {
    if (n >= limit) break;
    const contig = part.entry.region!.contig;
    const mine = regions.filter((r) => r.contig === contig).map((r) => ({ start: r.start + 1, end: r.end }));
    // the part's first object (its own write) gives the site fields; others only for their samples
    const needed = new Set<number>([0, ...owner]);
    const read = new Map<number, Marker[]>();
    await Promise.all([...needed].map(async (i) => {
      const o = objects[i]!;
      read.set(i, await readObjectMarkers(store, o, ds.header, zstd, mine, pages?.(o.key), signal));
    }));
    const first = read.get(0)!;
    const rows = Math.min(first.length, limit - n);
    if (!rows) continue;
    const data: Cell[][] = columns.map((c) => {
      const out: Cell[] = new Array(rows);
      if (c.sample === undefined) {
        for (let i = 0; i < rows; i++) {
          const m = first[i]!;
          let v: unknown = c.field.column === 'CHROM' ? contig : c.field.column === 'POS' ? m.pos : c.field.column === 'ID' ? m.id : c.field.column === 'REF' ? m.ref : m.alt;
          if (v === '.' && c.field.column !== 'REF') v = null;
          out[i] = cell(c, v);
        }
        return out;
      }
      const oi = owner[sampleAt.get(c.sample)!]!;
      const markers = read.get(oi)!, local = c.sample - objects[oi]!.sampleFrom;
      for (let i = 0; i < rows; i++) out[i] = cell(c, markers[i]!.rows.get(c.field.column)!.cell(local));
      return out;
    });
    await w.write(data, rows);
    n += rows;
  }
  return n;
}
