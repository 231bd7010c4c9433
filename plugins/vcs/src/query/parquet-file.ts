/**
 * One Parquet object of a dataset, read lazily through the store: the footer (one bounded
 * read of its tail, a second only when the footer is larger), then column chunks of one row
 * group at a time, for a row range (hyparquet's scan reads only the pages the range needs when
 * the file has an offset index). Each read is a ranged get, so `withMetrics` sees exactly what a
 * query cost. Statistics come from the footer: typed columns only (see query/prune.ts).
 */
import type { Host, ObjectStore } from '@genolake/core';
import { parquetMetadataAsync, parquetScan, readOffsetIndex, type AsyncBuffer, type FileMetaData, type OffsetIndex, type ParquetScan } from 'hyparquet';
import { decompressors, storeBuffer } from '../dataset/parquet.js';
import type { ColumnData, ColumnStats } from './source.js';

/**
 * Tail bytes fetched for the footer. A sites footer (tens of columns × row groups) mostly fits;
 * a sample-batch footer (samples × keys × row groups column chunks) takes a second read. 16 KiB
 * read most of a small part's sites file for a one-row-group query (synthetic 12k × 20 test).
 */
const FOOTER_FETCH = 8 * 1024;
const TYPED = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOLEAN']);

export interface RowGroupSpan { start: number; rows: number }

export class ParquetFile {
  metadata!: FileMetaData;
  groups: RowGroupSpan[] = [];
  columns = new Map<string, number>();
  /** Bytes of the footer fetch. */
  footerBytes = 0;
  private scans: { whole?: Promise<ParquetScan>; paged?: Promise<ParquetScan> } = {};
  /** Decoded offset indexes by row group and column (prefetchRows). */
  private readonly offsetIndexes = new Map<string, OffsetIndex>();
  /** Byte spans fetched ahead for the current row group (see prefetch). */
  private blocks: { group: number; start: number; bytes: ArrayBuffer }[] = [];
  private readonly buffer: AsyncBuffer;
  private opened: Promise<void> | undefined;

  constructor(private readonly host: Host, private readonly store: ObjectStore, readonly key: string, readonly size: number, private readonly signal?: AbortSignal) {
    const direct = storeBuffer(store, key, size, signal);
    this.buffer = {
      byteLength: size,
      slice: (start, end) => {
        const stop = end ?? size;
        const b = this.blocks.find((x) => start >= x.start && stop <= x.start + x.bytes.byteLength);
        return b ? b.bytes.slice(start - b.start, stop - b.start) : direct.slice(start, stop);
      },
    };
  }

  /**
   * Fetches the column chunks of `columns` in row group `g` with one ranged get when they lie
   * close together (the span is at most twice their bytes plus 64 KiB), so a record read of
   * tens of columns is one request, not tens. Blocks of earlier row groups are dropped.
   */
  async prefetch(columns: Iterable<string>, g: number): Promise<void> {
    this.blocks = this.blocks.filter((b) => b.group === g);
    let lo = Infinity, hi = 0, sum = 0;
    for (const c of columns) {
      const r = this.chunkRange(c, g);
      if (!r || this.blocks.some((b) => r.offset >= b.start && r.offset + r.length <= b.start + b.bytes.byteLength)) continue;
      lo = Math.min(lo, r.offset);
      hi = Math.max(hi, r.offset + r.length);
      sum += r.length;
    }
    if (sum === 0 || hi - lo > 2 * sum + 65536) return;
    this.blocks.push({ group: g, start: lo, bytes: await this.get(lo, hi - lo) });
  }

  /**
   * For a row range much smaller than row group `g`: fetches only the pages of `columns` that
   * hold rows [start, end) (plus dictionary pages), found in the columns' offset indexes (one
   * ranged get for all of them), coalesced into few ranged gets. Columns of one page, or
   * without an offset index, are fetched whole as by prefetch().
   */
  async prefetchRows(columns: Iterable<string>, g: number, start: number, end: number): Promise<void> {
    this.blocks = this.blocks.filter((b) => b.group === g);
    const span = this.groups[g]!;
    const whole: string[] = [];
    const paged: { column: string; i: number }[] = [];
    for (const column of columns) {
      const i = this.columns.get(column);
      if (i === undefined) continue;
      const m = this.metadata.row_groups[g]!.columns[i]!;
      if (this.pages(column, g) > 1 && m.offset_index_offset !== undefined && m.offset_index_length) paged.push({ column, i });
      else whole.push(column);
    }
    const jobs: Promise<void>[] = [this.prefetch(whole, g)];
    if (paged.length) {
      jobs.push((async () => {
        const first = start - span.start, last = end - span.start;
        const ranges: [number, number][] = [];
        for (const { column, i } of paged) {
          const meta = this.metadata.row_groups[g]!.columns[i]!.meta_data!;
          if (meta.dictionary_page_offset) ranges.push([Number(meta.dictionary_page_offset), Number(meta.data_page_offset)]);
          const locs = (await this.offsetIndex(column, g, paged)).page_locations;
          for (let k = 0; k < locs.length; k++) {
            const rowsFrom = Number(locs[k]!.first_row_index);
            const rowsTo = k + 1 < locs.length ? Number(locs[k + 1]!.first_row_index) : span.rows;
            if (rowsTo > first && rowsFrom < last) ranges.push([Number(locs[k]!.offset), Number(locs[k]!.offset) + locs[k]!.compressed_page_size]);
          }
        }
        // pages an earlier range of this group already fetched (the next slice of a region) are not fetched again
        const todo = ranges.filter(([a, b]) => !this.blocks.some((x) => a >= x.start && b <= x.start + x.bytes.byteLength)).sort((a, b) => a[0] - b[0]);
        const merged: [number, number][] = [];
        for (const r of todo) {
          const prev = merged[merged.length - 1];
          if (prev && r[0] <= prev[1] + 65536) prev[1] = Math.max(prev[1], r[1]);
          else merged.push([r[0], r[1]]);
        }
        await Promise.all(merged.map(async ([a, b]) => { this.blocks.push({ group: g, start: a, bytes: await this.get(a, b - a) }); }));
      })());
    }
    await Promise.all(jobs);
  }

  /**
   * The offset index of a column chunk, decoded once; the first call for row group `g` fetches
   * the indexes of all of `together` in one ranged get (they lie side by side before the footer).
   */
  private async offsetIndex(column: string, g: number, together: readonly { column: string; i: number }[]): Promise<OffsetIndex> {
    const key = `${g}\t${column}`;
    const have = this.offsetIndexes.get(key);
    if (have) return have;
    const chunks = together.filter((t) => !this.offsetIndexes.has(`${g}\t${t.column}`)).map((t) => ({ column: t.column, c: this.metadata.row_groups[g]!.columns[t.i]! }));
    const lo = Math.min(...chunks.map(({ c }) => Number(c.offset_index_offset)));
    const hi = Math.max(...chunks.map(({ c }) => Number(c.offset_index_offset) + c.offset_index_length!));
    const idx = await this.get(lo, hi - lo);
    // hyparquet's paged scan reads the same indexes again through the buffer: keep the bytes as a block
    this.blocks.push({ group: g, start: lo, bytes: idx });
    for (const { column: name, c } of chunks) {
      this.offsetIndexes.set(`${g}\t${name}`, readOffsetIndex({ view: new DataView(idx, Number(c.offset_index_offset) - lo, c.offset_index_length!), offset: 0 }));
    }
    return this.offsetIndexes.get(key)!;
  }

  private async get(offset: number, length: number): Promise<ArrayBuffer> {
    const b = await this.store.get(this.key, { range: { offset, length }, ...(this.signal ? { signal: this.signal } : {}) });
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  /** True once open() has read the footer (statistics may be asked for). */
  get isOpen(): boolean {
    return this.metadata !== undefined;
  }

  open(): Promise<void> {
    this.opened ??= (async () => {
      this.metadata = await parquetMetadataAsync(this.buffer, { initialFetchSize: Math.min(this.size, FOOTER_FETCH) });
      this.footerBytes = Math.max(Math.min(this.size, FOOTER_FETCH), this.metadata.metadata_length + 8);
      let start = 0;
      for (const g of this.metadata.row_groups) {
        this.groups.push({ start, rows: Number(g.num_rows) });
        start += Number(g.num_rows);
      }
      const first = this.metadata.row_groups[0];
      first?.columns.forEach((c, i) => this.columns.set(c.meta_data!.path_in_schema[0]!, i));
    })();
    return this.opened;
  }

  has(column: string): boolean {
    return this.columns.has(column);
  }

  /** Min/max/nulls of a typed column in row group `g`; 'absent' when the file lacks it; undefined when unknown. */
  stats(column: string, g: number): ColumnStats | 'absent' | undefined {
    const i = this.columns.get(column);
    if (i === undefined) return 'absent';
    const meta = this.metadata.row_groups[g]!.columns[i]!.meta_data!;
    const s = meta.statistics;
    const rows = this.groups[g]!.rows;
    if (!TYPED.has(meta.type) || !s || s.null_count === undefined) return undefined;
    const nulls = Number(s.null_count);
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
    const min = num(s.min_value ?? s.min), max = num(s.max_value ?? s.max);
    if (meta.type === 'BOOLEAN' || min === undefined || max === undefined || Number.isNaN(min) || Number.isNaN(max)) return { nulls, rows };
    return { min, max, nulls, rows };
  }

  /** Byte range of a column chunk (for --explain). */
  chunkRange(column: string, g: number): { offset: number; length: number } | undefined {
    const i = this.columns.get(column);
    if (i === undefined) return undefined;
    const m = this.metadata.row_groups[g]!.columns[i]!.meta_data!;
    return { offset: Number(m.dictionary_page_offset || m.data_page_offset), length: Number(m.total_compressed_size) };
  }

  /**
   * Data pages of a column chunk, from the footer's encoding stats; without them, 2 when the
   * chunk has an offset index (hyparquet-writer writes one only for several pages), else 1.
   */
  pages(column: string, g: number): number {
    const i = this.columns.get(column);
    if (i === undefined) return 1;
    const chunk = this.metadata.row_groups[g]!.columns[i]!;
    const stats = chunk.meta_data!.encoding_stats;
    const counted = stats?.filter((e) => e.page_type !== 'DICTIONARY_PAGE').reduce((a, e) => a + e.count, 0);
    if (counted) return counted;
    return chunk.offset_index_offset !== undefined && chunk.offset_index_length ? 2 : 1;
  }

  private scan(paged: boolean): Promise<ParquetScan> {
    const which = paged ? 'paged' : 'whole';
    return (this.scans[which] ??= parquetScan({
      // utf8: false keeps un-annotated BYTE_ARRAY (the vcs sample matrices) as bytes; STRING columns still decode
      file: this.buffer, metadata: this.metadata, compressors: decompressors(this.host), useOffsetIndex: paged, utf8: false,
    }));
  }

  /**
   * Values of `column` for rows [start, end), which must lie in row group `g`; undefined when
   * absent. A one-page column chunk is read whole (one get, cached for the next range of the
   * same group); a chunk of several pages reads its offset index and only the pages of the range.
   */
  async read(column: string, g: number, start: number, end: number): Promise<ColumnData | undefined> {
    if (!this.has(column)) return undefined;
    const span = this.groups[g]!;
    if (this.pages(column, g) > 1) return (await this.scan(true)).readColumn({ column, rowStart: start, rowEnd: end });
    const all = await (await this.scan(false)).readColumn({ column, rowStart: span.start, rowEnd: span.start + span.rows });
    if (start === span.start && end === span.start + span.rows) return all;
    return Array.isArray(all) ? all.slice(start - span.start, end - span.start) : (all as Int32Array).subarray(start - span.start, end - span.start);
  }
}
