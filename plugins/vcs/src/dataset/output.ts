/**
 * Query and export output. VCF text (as `bcftools view` prints it) and BGZF VCF give whole
 * records; tsv, jsonl, arrow and parquet give the `--fields` columns. `--where` is parsed here
 * (query/parser.ts) and pushed into the scan; `--explain` returns the read plan instead.
 */
import { InvalidArgumentError, openSink, type ByteSink, type Host, type ObjectStore, type QueryRequest, type QueryResult } from '@genolake/core';
import { BoundedQueue } from '@genolake/core/node';
import { bgzf, tabix } from '@genolake/bgzf-tabix';
import { ByteOut } from '../io/byte-out.js';
import { Writer } from '../io/writer.js';
import { parseWhere } from '../query/parser.js';
import { cell, projectFields, type OutColumn } from '../query/project.js';
import { arrowWriter } from '../query/output/arrow.js';
import { jsonlWriter } from '../query/output/jsonl.js';
import { parquetWriter } from '../query/output/parquet.js';
import type { Cell, TableWriter } from '../query/output/table-writer.js';
import { tsvWriter } from '../query/output/tsv.js';
import { markerEligible, markerQuery } from './marker-query.js';
import type { PageCache } from './markers.js';
import { VcsDataset, type ScanOptions, type Selection } from './reader.js';

export const OUTPUT_FORMATS = ['vcf', 'vcf.gz', 'tsv', 'jsonl', 'arrow', 'parquet'];

/** Cells (sample values) decoded at once for output: rows per batch = this / columns (VCF: samples × FORMAT keys). */
const TABLE_CELLS = 2_000_000;

export interface RunQueryInput {
  host: Host;
  store: ObjectStore;
  output: ByteSink;
  request: QueryRequest;
  format: string;
  signal?: AbortSignal;
  /** An already opened dataset (VariantsHandle): skips reading the manifest again. */
  dataset?: VcsDataset;
  /** Decoded markers index pages by object key, kept between queries (VariantsHandle). */
  markerPages?: (key: string) => PageCache;
}

/**
 * A sink that BGZF-compresses what it is given (bcftools/tabix read the result); end() writes the
 * last blocks, not ending `sink`. `tee` also receives every compressed block (the index builder).
 */
function bgzfSink(sink: ByteSink, tee?: (block: Uint8Array) => Promise<void>): ByteSink {
  const w = new bgzf.Writer({ write: async (b: Uint8Array) => { await sink.write(b); await tee?.(b.slice()); } });
  return { name: sink.name, write: async (c) => { await w.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c); }, end: async () => { await w.end(); } };
}

/** `-O index=PATH` (vcf.gz only): PATH ending in .csi gives a CSI index, else tabix .tbi. */
function indexTarget(input: RunQueryInput): { path: string; format: 'tbi' | 'csi' } | undefined {
  const v = input.request.options?.index;
  if (v === undefined || v === false || v === 'false' || v === '') return undefined;
  if (typeof v !== 'string' || v === 'true') throw new InvalidArgumentError('-O index= takes the path or URL of the index to write (for example -O index=out.vcf.gz.tbi, or .csi for CSI)');
  if (input.format !== 'vcf.gz') throw new InvalidArgumentError(`an index (.tbi/.csi) is written only with BGZF VCF output (vcf.gz), not ${input.format}`);
  return { path: v, format: v.endsWith('.csi') ? 'csi' : 'tbi' };
}

/** Builds the index from the compressed blocks as they are written (no second pass over the output). */
function indexer(target: { path: string; format: 'tbi' | 'csi' }) {
  const blocks = new BoundedQueue<Uint8Array>(64);
  const built = tabix.buildIndex(blocks, { config: tabix.PRESETS.vcf!, format: target.format, name: target.path });
  built.catch((e: unknown) => blocks.fail(e));
  return {
    push: (b: Uint8Array) => blocks.push(b),
    async finish(host: Host): Promise<void> {
      blocks.close();
      const index = await built;
      const out = await openSink(host, target.path);
      await out.write(target.format === 'csi' ? tabix.encodeCsi(index) : tabix.encodeTbi(index));
      await out.end();
    },
  };
}

function tableWriter(input: RunQueryInput, columns: readonly OutColumn[]): TableWriter {
  switch (input.format) {
    case 'tsv': return tsvWriter(input.output, columns);
    case 'jsonl': return jsonlWriter(input.output, columns);
    case 'arrow': return arrowWriter(input.output, columns);
    default: return parquetWriter(input.host, input.output, columns);
  }
}

export async function runQuery(input: RunQueryInput): Promise<QueryResult> {
  const { request } = input;
  if (!OUTPUT_FORMATS.includes(input.format)) throw new InvalidArgumentError(`vcs writes ${OUTPUT_FORMATS.join(', ')}, not "${input.format}"`);
  const vcf = input.format === 'vcf' || input.format === 'vcf.gz';
  if (!vcf) indexTarget(input); // refuses -O index= with table output
  if (vcf && request.fields) throw new InvalidArgumentError(`--fields selects columns of tsv, jsonl, arrow and parquet output; VCF output keeps whole records (use --samples for sample columns)`);
  const ds = input.dataset ?? await VcsDataset.open(input.store, request.version);
  const wanted = ds.sampleIndexes(request.samples);
  const scan: ScanOptions = {
    ...(request.regions ? { regions: request.regions } : {}), ...(input.signal ? { signal: input.signal } : {}),
    ...(request.where !== undefined ? { where: parseWhere(request.where, ds.header, ds.meta.undeclared) } : {}),
  };
  const columns = vcf ? [] : projectFields(request.fields, ds.header, ds.meta.undeclared, wanted);
  if (request.explain) {
    const need = vcf ? { samples: wanted } : {
      siteColumns: columns.filter((c) => c.field.scope === 'site').map((c) => c.field.column),
      samples: [...new Set(columns.flatMap((c) => (c.sample === undefined ? [] : [c.sample])))],
      formatKeys: [...new Set(columns.filter((c) => c.field.scope === 'format').map((c) => c.field.column))],
    };
    return { records: 0, explain: await ds.explain(input.store, input.host, scan, need) };
  }
  const limit = request.limit ?? Infinity;
  let n = 0;
  if (vcf) {
    const target = indexTarget(input);
    const index = target && indexer(target);
    const sink = input.format === 'vcf.gz' ? bgzfSink(input.output, index?.push) : input.output;
    // a sample subset recounts INFO/AC and AN, as bcftools view -s (unless -O noUpdate=true, as -I)
    const subset = request.samples ? wanted : undefined;
    const noUpdate = request.options?.noUpdate;
    const update = subset !== undefined && !(noUpdate === true || noUpdate === 'true');
    const w = new Writer(sink, ds.header, subset, update);
    await w.writeHeader();
    const lines = new ByteOut();
    for await (const sel of ds.select(input.store, input.host, scan)) {
      if (n >= limit) break;
      const take = limited(sel, limit - n);
      for (const slice of slices(take, wanted.length * Math.max(1, ds.formatKeys().length))) {
        await ds.writeLines(slice, wanted, subset, lines, () => w.writeBytes(lines.take()), update);
      }
      n += take.rows.length;
    }
    await w.writeBytes(lines.take());
    await w.end();
    if (sink !== input.output) await sink.end(); // the BGZF layer's last blocks and EOF marker
    await index?.finish(input.host);
    return { records: n };
  }
  const w = tableWriter(input, columns);
  if (ds.meta.markerKeys?.length && markerEligible(columns, request.regions, request.where)) {
    const got = await markerQuery(ds, input.store, input.host, request.regions!, columns, w, limit, input.signal, input.markerPages);
    if (got !== undefined) {
      await w.end();
      return { records: got };
    }
  }
  for await (const sel of ds.select(input.store, input.host, scan)) {
    if (n >= limit) break;
    const take = limited(sel, limit - n);
    for (const slice of slices(take, columns.length)) await w.write(await readCells(slice, columns), slice.rows.length);
    n += take.rows.length;
  }
  await w.end();
  return { records: n };
}

/**
 * A selection in pieces of at most TABLE_CELLS / `perRow` rows: a row group's decoded cells of
 * every sample would not fit in memory (a full VCF export of 1,000 samples peaked at 1.6 GB).
 */
function* slices(sel: Selection, perRow: number): Generator<Selection> {
  const step = Math.max(1, Math.floor(TABLE_CELLS / Math.max(1, perRow)));
  if (step >= sel.rows.length) { yield sel; return; }
  for (let i = 0; i < sel.rows.length; i += step) yield { ...sel, rows: sel.rows.slice(i, i + step) };
}

function limited(sel: Selection, left: number): Selection {
  return sel.rows.length <= left ? sel : { ...sel, rows: sel.rows.slice(0, left) };
}

/** The projected columns' cells for the rows of a selection (only those column chunks are read). */
async function readCells(sel: Selection, columns: readonly OutColumn[]): Promise<Cell[][]> {
  const { part, group: g, rows } = sel;
  const first = rows[0]!, end = rows[rows.length - 1]! + 1;
  const samples = [...new Set(columns.flatMap((c) => (c.sample === undefined ? [] : [c.sample])))];
  await part.openBatches(samples);
  await part.prefetch(g, columns.filter((c) => c.sample === undefined).map((c) => c.field.column), samples, [...new Set(columns.filter((c) => c.sample !== undefined).map((c) => c.field.column))], { start: first, end });
  const siteData = new Map<string, Promise<ArrayLike<unknown> | undefined>>();
  const fmtData = new Map<string, Promise<(ArrayLike<unknown> | undefined)[]>>();
  for (const c of columns) {
    if (c.sample === undefined) { if (!siteData.has(c.field.column)) siteData.set(c.field.column, part.site(c.field.column, g, first, end)); }
    else if (!fmtData.has(c.field.column)) fmtData.set(c.field.column, part.format(c.field.column, samples, g, first, end));
  }
  const data = await Promise.all(columns.map(async (c) => (c.sample === undefined
    ? siteData.get(c.field.column)!
    : (await fmtData.get(c.field.column)!)[samples.indexOf(c.sample)])));
  return columns.map((c, k) => {
    const col = data[k];
    return rows.map((r) => cell(c, col?.[r - first]));
  });
}
