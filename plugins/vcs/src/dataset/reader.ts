/**
 * Dataset -> records. Chunks are pruned by region from the manifest alone; then per chunk the
 * sites file is read (footer + needed column chunks, by ranged gets) and, when samples are
 * wanted, only the sample-batch files holding them, and in those only their columns. Region
 * overlap is htslib's: POS <= region end and END >= region start.
 */
import { Dataset, InvalidArgumentError, NotFoundError, type ChunkEntry, type Host, type ObjectStore, type Region } from '@genolake/core';
import { Header } from '../header/header.js';
import type { VcfRecord } from '../record/record.js';
import { assemble, infoColumn, sampleColumn, SITE_COLUMNS } from './columns.js';
import { parquetMetadataAsync, readParquet, storeBuffer } from './parquet.js';
import type { VcsMetadata } from './schema.js';

export interface ScanOptions {
  /** 0-based half-open regions. */
  regions?: Region[];
  /** Sample names (all when absent). */
  samples?: string[];
  signal?: AbortSignal;
}

export class VcsDataset {
  private constructor(readonly ds: Dataset, readonly meta: VcsMetadata, readonly header: Header) {}

  static async open(store: ObjectStore, version?: number): Promise<VcsDataset> {
    const ds = await Dataset.open(store, version !== undefined ? { version } : {});
    const meta = ds.manifest.metadata as unknown as VcsMetadata;
    const lines = meta.headerText.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return new VcsDataset(ds, meta, Header.parse(lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), store.url));
  }

  /** Sample indexes for names (all when absent); unknown names are an error. */
  sampleIndexes(names?: string[]): number[] {
    if (!names) return this.header.samples.map((_, i) => i);
    return names.map((n) => {
      const i = this.header.samples.indexOf(n);
      if (i < 0) throw new NotFoundError(`sample "${n}" is not in the dataset (it has ${this.header.samples.length} samples)`);
      return i;
    });
  }

  siteChunks(regions?: Region[]): ChunkEntry[] {
    const sites = this.ds.manifest.chunks.filter((c) => c.extra?.kind === 'sites');
    if (!regions?.length) return sites;
    for (const r of regions) if (!this.meta.contigs.includes(r.contig) && !this.header.contigs.some((c) => c.name === r.contig)) {
      throw new InvalidArgumentError(`region ${r.contig}: no such contig in the dataset`);
    }
    return sites.filter((c) => c.region && regions.some((r) => r.contig === c.region!.contig && r.start < c.region!.end && r.end > c.region!.start));
  }

  async *scan(store: ObjectStore, host: Host, o: ScanOptions = {}): AsyncGenerator<VcfRecord[]> {
    const wanted = this.sampleIndexes(o.samples);
    const all = this.ds.manifest.chunks;
    for (const chunk of this.siteChunks(o.regions)) {
      const file = storeBuffer(store, chunk.key, chunk.size, o.signal);
      const metadata = await parquetMetadataAsync(file);
      const names = new Set(metadata.schema.map((s) => s.name));
      const infoCols = [...names].filter((n) => n.startsWith('INFO_'));
      const sites = await readParquet(host, file, { columns: [...SITE_COLUMNS, ...infoCols].filter((c) => names.has(c)), metadata });
      const mine = o.regions?.filter((r) => r.contig === chunk.region?.contig);
      const rows: number[] = [];
      for (let i = 0; i < sites.length; i++) {
        const s = sites[i]!;
        if (mine?.length) {
          const pos = Number(s.POS), end = Number(s.END);
          if (!mine.some((r) => pos <= r.end && end > r.start)) continue;
        }
        rows.push(i);
      }
      if (!rows.length) continue;
      const sampleRows: { rows: Record<string, unknown>[]; samples: number[] }[] = [];
      for (const c of all) {
        if (c.extra?.kind !== 'samples' || c.extra.sites !== chunk.key) continue;
        const from = Number(c.extra.sampleFrom), to = Number(c.extra.sampleTo);
        const idx = wanted.filter((s) => s >= from && s < to);
        if (!idx.length) continue;
        const sf = storeBuffer(store, c.key, c.size, o.signal);
        const sm = await parquetMetadataAsync(sf);
        const have = new Set(sm.schema.map((s) => s.name));
        const cols = idx.flatMap((s) => [...have].filter((n) => n.startsWith(`${this.header.samples[s]}:`) && n === sampleColumn(this.header.samples[s]!, n.slice(this.header.samples[s]!.length + 1))));
        const rowsOfBatch = await readParquet(host, sf, { columns: cols, metadata: sm, rowStart: rows[0]!, rowEnd: rows[rows.length - 1]! + 1 });
        sampleRows.push({ rows: rowsOfBatch, samples: idx });
      }
      const out: VcfRecord[] = [];
      const first = rows[0]!;
      for (const i of rows) out.push(assemble(sites[i]!, sampleRows.map((b) => ({ row: b.rows[i - first]!, samples: b.samples })), this.header, this.header.samples.length));
      yield out;
    }
  }
}

export { infoColumn };
