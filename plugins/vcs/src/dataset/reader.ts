/**
 * Dataset -> selected rows -> records. The only module that knows the file layout (a part is
 * one sites file plus sample-batch files with the same rows); the query engine sees it through
 * `RowSource` / `StatsSource` (query/source.ts), so another sample layout changes only this file.
 *
 * Pruning, coarse to fine, each step conservative and followed by the exact test:
 * 1. parts, from the manifest alone: each part's contig and span against the regions, and the
 *    `--where` expression against CHROM and the POS span (no request);
 * 2. row groups, from the footers: POS/END min/max against the regions, and the expression
 *    against the typed columns' min/max/null counts (FORMAT fields: every sample's column);
 * 3. rows: the needed columns of the remaining row groups are read (bounded ranged gets of
 *    those column chunks, or of their pages when a chunk has several) and evaluated exactly.
 * Region overlap is htslib's: POS <= region end and END >= region start (1-based).
 */
import { Dataset, InvalidArgumentError, NotFoundError, type ChunkEntry, type ExplainReport, type Host, type ObjectStore, type Region } from '@genolake/core';
import { Header } from '../header/header.js';
import type { VcfRecord } from '../record/record.js';
import { fieldsOf, type Expr } from '../query/ast.js';
import { evaluate } from '../query/evaluate.js';
import { ParquetFile } from '../query/parquet-file.js';
import { NEVER, tri } from '../query/prune.js';
import type { ColumnData, ColumnStats, RowSource, StatsSource } from '../query/source.js';
import { assemble, infoColumn, sampleColumn, SITE_COLUMNS } from './columns.js';
import type { VcsMetadata } from './schema.js';

export interface ScanOptions {
  /** 0-based half-open regions. */
  regions?: Region[];
  /** Sample names (all when absent). */
  samples?: string[];
  /** A parsed `--where` expression (query/parser.ts). */
  where?: Expr;
  signal?: AbortSignal;
}

/** Rows of one row group of a part that passed the regions and the filter (absolute, ascending). */
export interface Selection {
  part: Part;
  group: number;
  rows: number[];
}

/** What pruning kept, for --explain and tests. */
export interface PruneCounts { parts: number; partsKept: number; groups: number; groupsKept: number; groupsRead: number }

interface Batch { file: ParquetFile; from: number; to: number }

/** One part: its sites file and its sample-batch files. */
export class Part {
  constructor(readonly sites: ParquetFile, readonly batches: Batch[], readonly entry: ChunkEntry, private readonly samples: readonly string[], private readonly formatKeys: readonly string[]) {}

  async openBatches(samples: readonly number[]): Promise<void> {
    await Promise.all(this.batches.filter((b) => samples.some((s) => s >= b.from && s < b.to)).map((b) => b.file.open()));
  }

  private sampleFile(s: number): ParquetFile {
    return this.batches.find((b) => s >= b.from && s < b.to)!.file;
  }

  /** Statistics of row group `g`: site columns from the sites footer, FORMAT keys from every batch footer (opened). */
  stats(g: number): StatsSource {
    return {
      site: (column) => this.sites.stats(column, g),
      format: (key) => {
        const out: (ColumnStats | 'absent')[] = [];
        for (let s = 0; s < this.samples.length; s++) {
          const f = this.sampleFile(s);
          if (f.groups.length !== this.sites.groups.length) return undefined;
          const st = f.stats(sampleColumn(this.samples[s]!, key), g);
          if (st === undefined) return undefined;
          out.push(st);
        }
        return out;
      },
    };
  }

  /**
   * Fetches ahead, one ranged get per file where the chunks lie close: the site `columns` and,
   * for each listed sample, its FORMAT `keys` (all of its columns when absent), in group `g`.
   */
  async prefetch(g: number, columns: Iterable<string>, samples: readonly number[] = [], keys?: readonly string[]): Promise<void> {
    const jobs = [this.sites.prefetch(columns, g)];
    for (const b of this.batches) {
      const mine = samples.filter((s) => s >= b.from && s < b.to);
      if (!mine.length) continue;
      const cols = mine.flatMap((s) => (keys ? keys.map((k) => sampleColumn(this.samples[s]!, k)) : this.sampleColumns(s).map((c) => c.column)));
      jobs.push(b.file.open().then(() => b.file.prefetch(cols, g)));
    }
    await Promise.all(jobs);
  }

  /** Site column values of rows [start, end) of group `g`. */
  site(column: string, g: number, start: number, end: number): Promise<ColumnData | undefined> {
    return this.sites.read(column, g, start, end);
  }

  /** FORMAT `key` of each listed sample for rows [start, end) of group `g` (batch files opened). */
  async format(key: string, samples: readonly number[], g: number, start: number, end: number): Promise<(ColumnData | undefined)[]> {
    if (samples.length > 1) await this.prefetch(g, [], samples, [key]);
    return Promise.all(samples.map((s) => this.sampleFile(s).read(sampleColumn(this.samples[s]!, key), g, start, end)));
  }

  /** Every FORMAT column of sample `s` present in its batch file. */
  sampleColumns(s: number): { key: string; column: string }[] {
    const f = this.sampleFile(s);
    return this.formatKeys.map((key) => ({ key, column: sampleColumn(this.samples[s]!, key) })).filter((c) => f.has(c.column));
  }

  rowSource(g: number, start: number, end: number, all: readonly number[]): RowSource {
    const memo = new Map<string, Promise<unknown>>();
    const once = <T>(k: string, f: () => Promise<T>): Promise<T> => {
      if (!memo.has(k)) memo.set(k, f());
      return memo.get(k) as Promise<T>;
    };
    return {
      rows: end - start,
      site: (column) => once(`s:${column}`, () => this.site(column, g, start, end)),
      format: (key) => once(`f:${key}`, () => this.format(key, all, g, start, end)),
    };
  }
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

  /** FORMAT keys the dataset may hold (declared and undeclared). */
  formatKeys(): string[] {
    return [...this.header.format.keys(), ...this.meta.undeclared.filter((u) => u.startsWith('FORMAT/')).map((u) => u.slice(7))];
  }

  siteChunks(regions?: Region[]): ChunkEntry[] {
    const sites = this.ds.manifest.chunks.filter((c) => c.extra?.kind === 'sites');
    if (!regions?.length) return sites;
    for (const r of regions) if (!this.meta.contigs.includes(r.contig) && !this.header.contigs.some((c) => c.name === r.contig)) {
      throw new InvalidArgumentError(`region ${r.contig}: no such contig in the dataset`);
    }
    return sites.filter((c) => c.region && regions.some((r) => r.contig === c.region!.contig && r.start < c.region!.end && r.end > c.region!.start));
  }

  /** Parts that may hold matching rows, judged from the manifest alone. */
  parts(store: ObjectStore, host: Host, o: ScanOptions, counts?: PruneCounts): Part[] {
    const all = this.ds.manifest.chunks;
    const sites = this.siteChunks(o.regions);
    if (counts) counts.parts = all.filter((c) => c.extra?.kind === 'sites').length;
    const out: Part[] = [];
    for (const c of sites) {
      if (o.where && c.region) {
        const rows = c.records ?? 1;
        const stats: StatsSource = {
          site: (column) => (column === 'CHROM' ? { min: c.region!.contig, max: c.region!.contig, nulls: 0, rows }
            : column === 'POS' ? { min: c.region!.start + 1, max: c.region!.end, nulls: 0, rows } : undefined),
          format: () => undefined,
        };
        if (tri(o.where, stats) === NEVER) continue;
      }
      const batches = all.filter((b) => b.extra?.kind === 'samples' && b.extra.sites === c.key)
        .map((b) => ({ file: new ParquetFile(host, store, b.key, b.size, o.signal), from: Number(b.extra!.sampleFrom), to: Number(b.extra!.sampleTo) }));
      out.push(new Part(new ParquetFile(host, store, c.key, c.size, o.signal), batches, c, this.header.samples, this.formatKeys()));
    }
    if (counts) counts.partsKept = out.length;
    // bcftools -r prints contigs in the order the regions first name them, each in file order
    const regions = o.regions;
    if (regions?.length) {
      const rank = (p: Part): number => regions.findIndex((r) => r.contig === p.entry.region?.contig);
      out.sort((a, b) => rank(a) - rank(b));
    }
    return out;
  }

  /** Row groups of a part that statistics cannot rule out (footers opened as needed). */
  async groups(part: Part, o: ScanOptions, counts?: PruneCounts): Promise<number[]> {
    await part.sites.open();
    const mine = o.regions?.filter((r) => r.contig === part.entry.region?.contig);
    const formatKeys = o.where ? fieldsOf(o.where).some((f) => f.scope === 'format') : false;
    if (formatKeys) await part.openBatches(this.header.samples.map((_, i) => i));
    const kept: number[] = [];
    for (let g = 0; g < part.sites.groups.length; g++) {
      if (mine?.length) {
        const pos = part.sites.stats('POS', g), end = part.sites.stats('END', g);
        if (typeof pos === 'object' && typeof end === 'object' && typeof pos.min === 'number' && typeof end.max === 'number') {
          const lo = pos.min, hi = end.max;
          if (!mine.some((r) => lo <= r.end && hi > r.start)) continue;
        }
      }
      if (o.where && tri(o.where, part.stats(g)) === NEVER) continue;
      kept.push(g);
    }
    if (counts) { counts.groups += part.sites.groups.length; counts.groupsKept += kept.length; }
    return kept;
  }

  /** Rows passing the regions and the filter, one selection per row group that has some. */
  async *select(store: ObjectStore, host: Host, o: ScanOptions = {}, counts?: PruneCounts): AsyncGenerator<Selection> {
    const everyone = this.header.samples.map((_, i) => i);
    for (const part of this.parts(store, host, o, counts)) {
      const mine = o.regions?.filter((r) => r.contig === part.entry.region?.contig);
      for (const g of await this.groups(part, o, counts)) {
        const { start, rows: n } = part.sites.groups[g]!;
        let mask = new Uint8Array(n).fill(1);
        const whereSite = o.where ? fieldsOf(o.where).filter((f) => f.scope === 'site').map((f) => f.column) : [];
        await part.prefetch(g, mine?.length ? ['POS', 'END', ...whereSite] : whereSite);
        if (mine?.length) {
          const [pos, end] = await Promise.all([part.site('POS', g, start, start + n), part.site('END', g, start, start + n)]);
          for (let i = 0; i < n; i++) {
            const p = Number(pos![i]), e = Number(end![i]);
            if (!mine.some((r) => p <= r.end && e > r.start)) mask[i] = 0;
          }
        }
        if (o.where && mask.some((x) => x)) {
          if (counts) counts.groupsRead++;
          const m = await evaluate(o.where, part.rowSource(g, start, start + n, everyone));
          for (let i = 0; i < n; i++) mask[i]! &= m[i]!;
        }
        const rows: number[] = [];
        for (let i = 0; i < n; i++) if (mask[i]) rows.push(start + i);
        mask = new Uint8Array(0);
        if (rows.length) yield { part, group: g, rows };
      }
    }
  }

  /** The records of a selection, with the values of the `wanted` samples. */
  async records(sel: Selection, wanted: readonly number[]): Promise<VcfRecord[]> {
    const { part, group: g, rows } = sel;
    const first = rows[0]!, end = rows[rows.length - 1]! + 1;
    const siteCols = [...SITE_COLUMNS, ...[...part.sites.columns.keys()].filter((c) => c.startsWith('INFO_'))].filter((c) => part.sites.has(c));
    await part.openBatches(wanted);
    await part.prefetch(g, siteCols, wanted);
    const siteData = await Promise.all(siteCols.map((c) => part.site(c, g, first, end)));
    const perSample = await Promise.all(wanted.map(async (s) => {
      const cols = part.sampleColumns(s);
      const data = await Promise.all(cols.map((c) => readSample(part, s, c.key, g, first, end)));
      return { s, cols, data };
    }));
    const out: VcfRecord[] = [];
    for (const r of rows) {
      const i = r - first;
      const site: Record<string, unknown> = {};
      for (let k = 0; k < siteCols.length; k++) site[siteCols[k]!] = siteData[k]![i];
      const sampleRows = perSample.map(({ s, cols, data }) => {
        const row: Record<string, unknown> = {};
        for (let k = 0; k < cols.length; k++) row[cols[k]!.column] = data[k]?.[i];
        return { row, samples: [s] };
      });
      out.push(assemble(site, sampleRows, this.header, this.header.samples.length));
    }
    return out;
  }

  async *scan(store: ObjectStore, host: Host, o: ScanOptions = {}): AsyncGenerator<VcfRecord[]> {
    const wanted = this.sampleIndexes(o.samples);
    for await (const sel of this.select(store, host, o)) yield this.records(sel, wanted);
  }

  /**
   * The read plan without reading data: parts and row groups kept by the manifest and the
   * footers (fetched), then the column chunks the query would read in them at most.
   */
  async explain(store: ObjectStore, host: Host, o: ScanOptions, need: { siteColumns?: string[]; samples: readonly number[]; formatKeys?: string[] }): Promise<ExplainReport> {
    const counts: PruneCounts = { parts: 0, partsKept: 0, groups: 0, groupsKept: 0, groupsRead: 0 };
    const ranges: { key: string; offset: number; length: number }[] = [];
    const notes: string[] = [];
    let footers = 0, footerBytes = 0;
    const where = o.where ? fieldsOf(o.where) : [];
    for (const part of this.parts(store, host, o, counts)) {
      const kept = await this.groups(part, o, counts);
      const files = [part.sites, ...part.batches.map((b) => b.file)].filter((f) => f.groups.length);
      footers += files.length;
      footerBytes += files.reduce((a, f) => a + f.footerBytes, 0);
      notes.push(`${part.sites.key}: row groups ${kept.length ? kept.join(',') : 'none'} of ${part.sites.groups.length}`);
      if (!kept.length) continue;
      await part.openBatches(need.samples);
      const siteCols = new Set<string>(where.filter((f) => f.scope === 'site').map((f) => f.column));
      if (o.regions?.length) (siteCols.add('POS'), siteCols.add('END'));
      for (const c of need.siteColumns ?? [...SITE_COLUMNS, ...[...part.sites.columns.keys()].filter((k) => k.startsWith('INFO_'))]) siteCols.add(c);
      const fmt = where.filter((f) => f.scope === 'format').map((f) => f.column);
      const sampleCols: { file: ParquetFile; column: string }[] = [];
      for (let s = 0; s < this.header.samples.length; s++) {
        const keys = new Set(fmt);
        if (need.samples.includes(s)) for (const c of need.formatKeys ?? part.sampleColumns(s).map((x) => x.key)) keys.add(c);
        const b = part.batches.find((x) => s >= x.from && s < x.to);
        if (b && keys.size) for (const k of keys) sampleCols.push({ file: b.file, column: sampleColumn(this.header.samples[s]!, k) });
      }
      for (const g of kept) {
        for (const c of siteCols) { const r = part.sites.chunkRange(c, g); if (r) ranges.push({ key: part.sites.key, ...r }); }
        for (const { file, column } of sampleCols) { const r = file.groups.length ? file.chunkRange(column, g) : undefined; if (r) ranges.push({ key: file.key, ...r }); }
      }
    }
    const bytes = ranges.reduce((a, r) => a + r.length, 0);
    notes.unshift(
      `parts: ${counts.partsKept} of ${counts.parts} kept by the manifest (regions${o.where ? ', CHROM/POS of the filter' : ''})`,
      `row groups: ${counts.groupsKept} of ${counts.groups} kept by footer statistics`,
      `footers: ${footers} read (${footerBytes} bytes); column chunks below: at most ${ranges.length} ranges, ${bytes} bytes`,
    );
    const objects = new Set(ranges.map((r) => r.key)).size;
    return { objects, requests: ranges.length, bytes, ranges, notes };
  }
}

function readSample(part: Part, s: number, key: string, g: number, start: number, end: number): Promise<ColumnData | undefined> {
  return part.format(key, [s], g, start, end).then((x) => x[0]);
}

export { infoColumn };
