/**
 * Dataset -> selected rows -> records. The only module that knows the file layout (a part is
 * one sites file plus sample-batch files with the same rows, whose FORMAT values are per-key
 * matrix cells of groups of samples, matrix/); the query engine sees it through
 * `RowSource` / `StatsSource` (query/source.ts), so another sample layout changes only this file.
 *
 * Pruning, coarse to fine, each step conservative and followed by the exact test:
 * 1. parts, from the manifest alone: each part's contig and span against the regions, and the
 *    `--where` expression against CHROM and the POS span (no request);
 * 2. row groups, from the footers: POS/END min/max against the regions, and the expression
 *    against the typed site columns' min/max/null counts (FORMAT matrices have no statistics);
 * 3. rows: the needed columns of the remaining row groups are read (bounded ranged gets of
 *    those column chunks, or of their pages when a chunk has several) and evaluated exactly.
 * Region overlap is htslib's: POS <= region end and END >= region start (1-based).
 */
import { Dataset, InvalidArgumentError, UnsupportedError, type ChunkEntry, type ExplainReport, type Host, type ObjectStore, type Region } from '@genolake/core';
import { Header } from '../header/header.js';
import { fieldsOf, type Expr } from '../query/ast.js';
import { evaluate } from '../query/evaluate.js';
import { ParquetFile } from '../query/parquet-file.js';
import { NEVER, tri } from '../query/prune.js';
import type { ColumnData, ColumnStats, RowSource, StatsSource } from '../query/source.js';
import type { Value, VcfRecord } from '../record/record.js';
import { formatRecord } from '../record/format.js';
import type { ByteOut } from '../io/byte-out.js';
import { assemble, infoColumn, matrixColumn, rangeColumn, SITE_COLUMNS } from './columns.js';
import { missingGt } from './matrix/gt.js';
import { codingOf, decodeRow, type Cells } from './matrix/matrix.js';
import { FORMAT_VERSION, type VcsMetadata } from './schema.js';

const TAB = 9, NL = 10, DOT = 46, COLON = 58;

/**
 * As `bcftools view -s` (without -I): a record with GT gets INFO/AC and AN recounted over the
 * printed samples, replaced where the record has them, else appended (AC, then AN); AC is dropped
 * when the record has no ALT allele. Alleles above the ALT count are not counted.
 */
export function updateAcAn(rec: VcfRecord, gt: readonly ({ cells: Cells[]; at: number } | undefined)[], row: number): void {
  if (!rec.format.includes('GT')) return;
  const nAlt = rec.alt.length;
  const ac = new Array<number>(nAlt).fill(0);
  let an = 0;
  const add = (a: number): void => {
    if (a > nAlt) return;
    an++;
    if (a > 0) ac[a - 1]!++;
  };
  for (const x of gt) {
    const c = x?.cells[row];
    if (c?.present) c.alleles(x!.at, add);
  }
  const set = (key: string, v: number[] | undefined): void => {
    const k = rec.info.findIndex(([id]) => id === key);
    if (v === undefined) { if (k >= 0) rec.info.splice(k, 1); }
    else if (k >= 0) rec.info[k] = [key, v];
    else rec.info.push([key, v]);
  };
  set('AC', nAlt ? ac : undefined);
  set('AN', [an]);
}

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

/** A sample-batch file: global samples [from, to), in matrix columns of `group` samples each. */
interface Batch { file: ParquetFile; from: number; to: number; group: number }

/** One part: its sites file and its sample-batch files (batches added by later versions included). */
export class Part {
  constructor(readonly sites: ParquetFile, readonly batches: Batch[], readonly entry: ChunkEntry, private readonly header: Header, readonly markers: ChunkEntry[] = []) {}

  async openBatches(samples: readonly number[]): Promise<void> {
    await Promise.all(this.batches.filter((b) => samples.some((s) => s >= b.from && s < b.to)).map((b) => b.file.open()));
  }

  /**
   * Statistics of row group `g`: site columns from the sites footer; a scalar FORMAT key from each
   * batch's `_min:`/`_max:` columns (one "any sample of the batch" range per batch; opened batch
   * files only). Unknown (undefined) when a batch holds the key without those columns.
   */
  stats(g: number): StatsSource {
    return {
      site: (column) => this.sites.stats(column, g),
      format: (key) => {
        const out: (ColumnStats | 'absent')[] = [];
        for (const b of this.batches) {
          if (!b.file.isOpen) return undefined;
          const lo = b.file.stats(rangeColumn('min', key), g), hi = b.file.stats(rangeColumn('max', key), g);
          if (lo === 'absent' || hi === 'absent') {
            if (this.keysOf(b).includes(key)) return undefined;
            out.push('absent');
          } else if (!lo || !hi) return undefined;
          else out.push(lo.min === undefined || hi.max === undefined ? { nulls: hi.nulls, rows: hi.rows, union: true } : { min: lo.min, max: hi.max, nulls: hi.nulls, rows: hi.rows, union: true });
        }
        return out;
      },
    };
  }

  /** The matrix columns holding `samples` (all columns of the file for each key when `keys` is absent). */
  private columnsOf(b: Batch, samples: readonly number[], keys?: readonly string[]): string[] {
    const groups = new Set<number>();
    for (const s of samples) if (s >= b.from && s < b.to) groups.add(Math.floor((s - b.from) / b.group));
    const ks = keys ?? this.keysOf(b);
    return [...groups].flatMap((g) => ks.map((k) => matrixColumn(k, g))).filter((c) => b.file.has(c));
  }

  /** FORMAT keys with columns in a batch file. */
  keysOf(b: Batch): string[] {
    const out = new Set<string>();
    for (const c of b.file.columns.keys()) { const dot = c.lastIndexOf('.'); if (dot > 0 && c !== '_format' && !c.includes(':')) out.add(c.slice(0, dot)); }
    return [...out];
  }

  /**
   * Fetches ahead, one ranged get per file where the chunks lie close: the site `columns` and,
   * for the listed samples, the matrix columns of their groups for FORMAT `keys` (all when absent), in group `g`.
   */
  async prefetch(g: number, columns: Iterable<string>, samples: readonly number[] = [], keys?: readonly string[], rows?: { start: number; end: number }): Promise<void> {
    const jobs = [this.sites.prefetch(columns, g)];
    for (const b of this.batches) {
      if (!samples.some((s) => s >= b.from && s < b.to)) continue;
      jobs.push(b.file.open().then(() => {
        const cols = [...this.columnsOf(b, samples, keys), ...(b.file.has('_format') ? ['_format'] : [])];
        // a few rows of a large row group (a region query): only the matrix pages holding them
        const span = b.file.groups[g];
        if (rows && span && (rows.end - rows.start) * 4 < span.rows) return b.file.prefetchRows(cols, g, rows.start, rows.end);
        return b.file.prefetch(cols, g);
      }));
    }
    await Promise.all(jobs);
  }

  /** Site column values of rows [start, end) of group `g`. */
  site(column: string, g: number, start: number, end: number): Promise<ColumnData | undefined> {
    return this.sites.read(column, g, start, end);
  }

  /**
   * Decoded matrix cells of FORMAT `key` for rows [start, end) of group `g`: for each batch and
   * matrix column holding some of `samples`, the column's rows decoded once.
   */
  private async matrices(key: string, samples: readonly number[], g: number, start: number, end: number): Promise<Map<number, { cells: Cells[]; at: number }>> {
    const def = this.header.formatDef(key);
    const coding = codingOf(key, def);
    const scalar = def.number === '1' && (def.type === 'Integer' || def.type === 'Float');
    const bySample = new Map<number, { cells: Cells[]; at: number }>();
    const jobs: Promise<void>[] = [];
    for (const b of this.batches) {
      const mine = samples.filter((s) => s >= b.from && s < b.to);
      if (!mine.length) continue;
      const groups = new Map<number, number[]>();
      for (const s of mine) { const gi = Math.floor((s - b.from) / b.group); groups.set(gi, [...(groups.get(gi) ?? []), s]); }
      for (const [gi, ss] of groups) {
        jobs.push((async () => {
          await b.file.open();
          const col = await b.file.read(matrixColumn(key, gi), g, start, end);
          if (!col) return;
          const n = Math.min(b.group, b.to - b.from - gi * b.group);
          const cells = Array.from({ length: end - start }, (_, i) => decodeRow(col[i] as Uint8Array | null, n, coding, scalar));
          for (const s of ss) bySample.set(s, { cells, at: s - b.from - gi * b.group });
        })());
      }
    }
    await Promise.all(jobs);
    return bySample;
  }

  /** FORMAT `key` of each listed sample for rows [start, end) of group `g` (undefined: the sample has no such column in this part). */
  async format(key: string, samples: readonly number[], g: number, start: number, end: number): Promise<(ColumnData | undefined)[]> {
    await this.prefetch(g, [], samples, [key]);
    const m = await this.matrices(key, samples, g, start, end);
    const cols = samples.map((s) => {
      const x = m.get(s);
      return x ? x.cells.map((c) => c.cell(x.at)) : undefined;
    });
    if (key !== 'GT') return cols;
    // samples without a GT in a row (added batches): missing with the row's ploidy, as in values()
    const all = [...m.values()];
    const fill: (string | null)[] = Array.from({ length: end - start }, (_, i) => {
      let p = 0;
      for (const x of all) if (x.cells[i]!.present && x.cells[i]!.ploidy > p) p = x.cells[i]!.ploidy;
      return p ? missingGt(p) : null;
    });
    return samples.map((s, k) => {
      const x = m.get(s);
      const col = cols[k] ?? new Array<unknown>(end - start).fill(null);
      return Array.from(col, (v, i) => (v === null && !(x && x.cells[i]!.present) ? fill[i] : v));
    });
  }

  /** The decoded cells of `keys` for `samples` (by key, then sample), each row's extra FORMAT keys from added batches, and the missing GT text of a row. */
  async cellsOf(keys: readonly string[], samples: readonly number[], g: number, start: number, end: number): Promise<{ per: Map<string, Map<number, { cells: Cells[]; at: number }>>; extraKeys: (row: number) => string[]; missingGt: (row: number) => string | null }> {
    const per = new Map<string, Map<number, { cells: Cells[]; at: number }>>();
    await Promise.all(keys.map(async (k) => per.set(k, await this.matrices(k, samples, g, start, end))));
    const extra: (ColumnData | undefined)[] = await Promise.all(this.batches.map((b) => (b.file.has('_format') ? b.file.read('_format', g, start, end) : undefined)));
    const gt = [...(per.get('GT')?.values() ?? [])];
    return {
      per,
      extraKeys: (row) => (extra.some((c) => c && c[row]) ? [...new Set(extra.flatMap((c) => (c && c[row] ? String(c[row]).split(':') : [])))] : []),
      missingGt: (row) => {
        let p = 0;
        for (const c of gt) if (c.cells[row]!.present && c.cells[row]!.ploidy > p) p = c.cells[row]!.ploidy;
        return p ? missingGt(p) : null;
      },
    };
  }

  /** The FORMAT values of `samples` for rows [start, end), as records hold them, plus each row's FORMAT keys from added batches. */
  async values(keys: readonly string[], samples: readonly number[], g: number, start: number, end: number): Promise<{ value: (row: number, key: string, s: number) => Value; extraKeys: (row: number) => string[] }> {
    const c = await this.cellsOf(keys, samples, g, start, end);
    return {
      value: (row, key, s) => {
        const x = c.per.get(key)?.get(s);
        if (x && x.cells[row]!.present) return x.cells[row]!.value(x.at);
        // no GT for this sample here (added batch without the site, or a part of later sites):
        // missing with the ploidy of the samples that have one, as bcftools merge writes
        return key === 'GT' ? c.missingGt(row) : null;
      },
      extraKeys: c.extraKeys,
    };
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
    if (ds.manifest.formatVersion !== FORMAT_VERSION) {
      throw new UnsupportedError(`${store.url} is a vcs ${ds.manifest.formatVersion} dataset; this reader reads vcs ${FORMAT_VERSION} (per-FORMAT-key matrix columns): convert the source again`);
    }
    const meta = ds.manifest.metadata as unknown as VcsMetadata;
    const lines = meta.headerText.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return new VcsDataset(ds, meta, Header.parse(lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), store.url));
  }

  /** Sample indexes for names (all when absent); unknown names are an error. */
  sampleIndexes(names?: string[]): number[] {
    if (!names || (names.length === 1 && names[0] === 'all' && !this.header.samples.includes('all'))) return this.header.samples.map((_, i) => i);
    return names.map((n) => {
      const i = this.header.samples.indexOf(n);
      if (i < 0) throw new InvalidArgumentError(`sample "${n}" is not in the dataset (it has ${this.header.samples.length} samples)`);
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
      const batches = all.filter((b) => b.extra?.kind === 'samples' && b.extra.sites === c.key).map((b) => {
        const from = Number(b.extra!.sampleFrom), to = Number(b.extra!.sampleTo);
        return { file: new ParquetFile(host, store, b.key, b.size, o.signal), from, to, group: Number(b.extra!.group ?? to - from) };
      });
      const markers = all.filter((m) => m.extra?.kind === 'markers' && m.extra.sites === c.key);
      out.push(new Part(new ParquetFile(host, store, c.key, c.size, o.signal), batches, c, this.header, markers));
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
    // a FORMAT filter reads every sample's values: the batch footers hold their statistics
    if (o.where && fieldsOf(o.where).some((f) => f.scope === 'format')) await part.openBatches(this.header.samples.map((_, i) => i));
    const mine = o.regions?.filter((r) => r.contig === part.entry.region?.contig);
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

  /** The site columns of a selection's rows and the FORMAT keys of its wanted samples' batches (their pages fetched ahead). */
  private async rowData(sel: Selection, wanted: readonly number[]): Promise<{ first: number; end: number; siteCols: string[]; siteData: (ColumnData | undefined)[]; keys: string[] }> {
    const { part, group: g, rows } = sel;
    const first = rows[0]!, end = rows[rows.length - 1]! + 1;
    const siteCols = [...SITE_COLUMNS, ...[...part.sites.columns.keys()].filter((c) => c.startsWith('INFO_'))].filter((c) => part.sites.has(c));
    await part.openBatches(wanted);
    await part.prefetch(g, siteCols, wanted, undefined, { start: first, end });
    const keys = new Set<string>();
    for (const b of part.batches) if (wanted.some((s) => s >= b.from && s < b.to)) for (const k of part.keysOf(b)) keys.add(k);
    const siteData = await Promise.all(siteCols.map((c) => part.site(c, g, first, end)));
    return { first, end, siteCols, siteData, keys: [...keys] };
  }

  /** The records of a selection, with the values of the `wanted` samples. */
  async records(sel: Selection, wanted: readonly number[]): Promise<VcfRecord[]> {
    const { first, end, siteCols, siteData, keys } = await this.rowData(sel, wanted);
    const vals = await sel.part.values(keys, wanted, sel.group, first, end);
    const out: VcfRecord[] = [];
    for (const r of sel.rows) {
      const i = r - first;
      const site: Record<string, unknown> = {};
      for (let k = 0; k < siteCols.length; k++) site[siteCols[k]!] = siteData[k]![i];
      out.push(assemble(site, (key, s) => vals.value(i, key, s), this.header, wanted, vals.extraKeys(i)));
    }
    return out;
  }

  /**
   * The VCF lines of a selection's rows into `out`, byte for byte what formatRecord prints for
   * records(sel, wanted) with `columns` (all samples when absent), but formatted straight from
   * the matrix cells: no record values, no per-sample strings.
   */
  async writeLines(sel: Selection, wanted: readonly number[], columns: readonly number[] | undefined, out: ByteOut, drain?: () => Promise<void>, updateInfo = false): Promise<void> {
    const { first, end, siteCols, siteData, keys } = await this.rowData(sel, wanted);
    const cells = await sel.part.cellsOf(keys, wanted, sel.group, first, end);
    const rows = sel.rows;
    const nSamples = columns ? columns.length : this.header.samples.length;
    const none: number[] = [];
    // per key, the cells of each printed sample by column (built once per selection, not per row)
    type At = { cells: Cells[]; at: number } | undefined;
    const byColumn = new Map<string, At[]>();
    const columnCells = (key: string): At[] => {
      let a = byColumn.get(key);
      if (!a) {
        const m = cells.per.get(key);
        a = Array.from({ length: nSamples }, (_, j) => m?.get(columns ? columns[j]! : j));
        byColumn.set(key, a);
      }
      return a;
    };
    for (const r of rows) {
      const i = r - first;
      const site: Record<string, unknown> = {};
      for (let k = 0; k < siteCols.length; k++) site[siteCols[k]!] = siteData[k]![i];
      const rec = assemble(site, () => null, this.header, none, cells.extraKeys(i));
      if (updateInfo) updateAcAn(rec, columnCells('GT'), i);
      out.text(formatRecord(rec, this.header, none));
      if (nSamples) {
        out.byte(TAB);
        out.text(rec.format.length ? rec.format.join(':') : '.');
        const perKey = rec.format.map(columnCells);
        let missingGtText: string | null | undefined;
        for (let j = 0; j < nSamples; j++) {
          out.byte(TAB);
          if (rec.format.length === 0) out.byte(DOT);
          for (let k = 0; k < perKey.length; k++) {
            if (k) out.byte(COLON);
            const x = perKey[k]![j];
            const c = x?.cells[i];
            if (c?.present) c.text(x!.at, out);
            else if (rec.format[k] !== 'GT') out.byte(DOT);
            else {
              // as values(): missing with the ploidy of the samples that have a GT
              if (missingGtText === undefined) missingGtText = cells.missingGt(i);
              if (missingGtText === null) out.byte(DOT);
              else out.text(missingGtText);
            }
          }
        }
      }
      out.byte(NL);
      if (drain && out.pos >= 1 << 20) await drain();
    }
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
      await part.openBatches(where.some((f) => f.scope === 'format') ? this.header.samples.map((_, i) => i) : need.samples);
      const siteCols = new Set<string>(where.filter((f) => f.scope === 'site').map((f) => f.column));
      if (o.regions?.length) (siteCols.add('POS'), siteCols.add('END'));
      for (const c of need.siteColumns ?? [...SITE_COLUMNS, ...[...part.sites.columns.keys()].filter((k) => k.startsWith('INFO_'))]) siteCols.add(c);
      const fmt = where.filter((f) => f.scope === 'format').map((f) => f.column);
      const everyone = this.header.samples.map((_, i) => i);
      const sampleCols: { file: ParquetFile; column: string }[] = [];
      for (const b of part.batches) {
        const mine = need.samples.filter((s) => s >= b.from && s < b.to);
        if (!b.file.groups.length) continue;
        const cols = new Set<string>();
        const add = (ss: readonly number[], ks: readonly string[]): void => {
          for (const s of ss) if (s >= b.from && s < b.to) for (const k of ks) cols.add(matrixColumn(k, Math.floor((s - b.from) / b.group)));
        };
        if (fmt.length) add(everyone, fmt);
        add(mine, need.formatKeys ?? part.keysOf(b));
        for (const column of cols) if (b.file.has(column)) sampleCols.push({ file: b.file, column });
      }
      for (const g of kept) {
        for (const c of siteCols) { const r = part.sites.chunkRange(c, g); if (r) ranges.push({ key: part.sites.key, ...r }); }
        for (const { file, column } of sampleCols) { const r = file.chunkRange(column, g); if (r) ranges.push({ key: file.key, ...r }); }
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

export { infoColumn };
