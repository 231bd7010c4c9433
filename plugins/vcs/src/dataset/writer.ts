/**
 * VCF -> dataset version. Records stream in; a part is cut at every contig change and when it
 * reaches `chunkRecords` records or ~`chunkBytes` of values. Each part becomes one sites file
 * and one file per batch of `sampleBatch` samples (matrix columns of `sampleGroup` samples), all
 * under the contig's Hive directory, all with the same rows in the same order (row groups of
 * `rowGroupSize` records), plus a markers object when `layout=marker-major`.
 * Modes (the CLI passes `mode`): create, replace (new version without the old chunks), append
 * (new parts, same samples) and `addSamples` (new samples over existing sites: versions.ts).
 * Nothing is visible until the manifest commit; a bad line aborts the transaction.
 */
import { randomBytes } from 'node:crypto';
import { Dataset, InputError, InvalidArgumentError, isGenolakeError, type ConvertContext, type ConvertResult, type Transaction } from '@genolake/core';
import type { Header } from '../header/header.js';
import { Reader } from '../io/reader.js';
import type { SampleCells } from '../record/parser.js';
import type { VcfRecord } from '../record/record.js';
import { encodedBytes, encodeRecord, sampleColumns, sampleGroups, scalarKeys, siteColumns, siteEnd, type EncodedRecord } from './columns.js';
import { buildMarkers, markerBlock } from './markers.js';
import { DirectEncoder } from './matrix/direct.js';
import { writeParquet, type ParquetColumn } from './parquet.js';
import { FORMAT, FORMAT_VERSION, mergeHeaderText, partitionDir, schemaDocument, SCHEMA_KEY, type VcsMetadata } from './schema.js';
import { addSamples } from './versions.js';

function positiveInt(v: unknown, what: string, dflt: number): number {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(v)}`);
  return n;
}

/**
 * Records are parsed in batches of about this many values (samples × FORMAT keys, counting 4
 * keys): 4,096 records of 10,000 samples would hold ~6 GB of parsed values at once. At most 256
 * records: parsed values (marker-major, BCF input, added samples) kept alive across a larger
 * batch cost more in garbage collection (marker-major synth convert 3.9 s at 4,096, 2.7 s at 256).
 */
const BATCH_VALUES = 2_000_000;

/**
 * Data page size of the sample-batch files: a region query reads only the pages holding its rows
 * (offset index). At 64 KiB a page holds ~320-640 rows of a 100-sample group; measured on
 * 1,000 samples × 20,000 sites: +0.2% bytes against 1 MiB pages (32 KiB: +0.7%).
 */
const MATRIX_PAGE_BYTES = 64 * 1024;
export const batchSize = (samples: number): number => Math.max(8, Math.min(256, Math.floor(BATCH_VALUES / Math.max(1, 4 * samples))));

/** Encodes records as they arrive (their parsed sample values are dropped at once). */
export function encoder(ctx: ConvertContext, header: Header, set: WriteSettings): (r: VcfRecord) => EncodedRecord {
  const groups = sampleGroups(header.samples.length, set.sampleBatch, set.sampleGroup);
  const keys = set.markerKeys;
  const zstd = ctx.host.getCodec('zstd');
  return (r) => {
    const e = encodeRecord(r, header, groups);
    if (keys.length) e.block = markerBlock(r, header, keys, zstd, set.level, groups.length);
    return e;
  };
}

export interface WriteSettings {
  chunkRecords: number;
  chunkBytes: number;
  rowGroupSize: number;
  sampleBatch: number;
  sampleGroup: number;
  level: number;
  /** FORMAT keys of the marker-major copy; empty: none. */
  markerKeys: string[];
}

export function settings(o: Record<string, unknown>, old?: VcsMetadata): WriteSettings {
  const markerMajor = o.layout === 'marker-major' || o.markerMajor === true || o.markerMajor === 'true' || (o.layout === undefined && (old?.markerKeys?.length ?? 0) > 0);
  if (o.layout !== undefined && o.layout !== 'marker-major' && o.layout !== 'sample-major') throw new InvalidArgumentError(`layout must be sample-major or marker-major, got ${String(o.layout)}`);
  return {
    chunkRecords: positiveInt(o.chunkRecords, 'chunkRecords', 100_000),
    chunkBytes: positiveInt(o.chunkBytes, 'chunkBytes', 64 * 1024 * 1024),
    // an appended or added batch must split rows exactly as the dataset's sites files do
    rowGroupSize: old ? old.rowGroupSize : positiveInt(o.rowGroupSize, 'rowGroupSize', 10_000),
    sampleBatch: positiveInt(o.sampleBatch, 'sampleBatch', old?.sampleBatch ?? 1000),
    sampleGroup: positiveInt(o.sampleGroup, 'sampleGroup', old?.sampleGroup ?? 100),
    level: positiveInt(o.level, 'level', 9),
    markerKeys: markerMajor ? String(o.markerKeys ?? old?.markerKeys?.join(',') ?? 'GT,DS').split(',').filter(Boolean) : [],
  };
}

export async function convertVariants(ctx: ConvertContext): Promise<ConvertResult> {
  const mode = String(ctx.options.mode ?? 'create');
  const add = ctx.options.addSamples === true || ctx.options.addSamples === 'true';
  if (add) return addSamples(ctx);
  const reader = await Reader.open(ctx.input, { ...(ctx.signal ? { signal: ctx.signal } : {}), onWarning: ctx.log });
  const header = reader.header;
  const ds = mode === 'create' ? await Dataset.create(ctx.store, { format: FORMAT, formatVersion: FORMAT_VERSION }) : await Dataset.open(ctx.store);
  const old = mode === 'append' ? (ds.manifest.metadata as unknown as VcsMetadata) : undefined;
  if (old && old.samples.join('\t') !== header.samples.join('\t')) {
    throw new InvalidArgumentError(`cannot append ${ctx.input.name}: its samples differ from the dataset's (${header.samples.length} vs ${old.samples.length}); use --option addSamples=true to add samples`);
  }
  const set = settings(ctx.options, old);
  const tx = ds.begin();
  if (mode === 'replace') {
    tx.removeChunks(ds.manifest.chunks.map((c) => c.key));
    tx.removeIndexes(ds.manifest.indexes.map((i) => i.name));
  }
  const token = randomBytes(8).toString('hex');
  const provenance = tx.addProvenance({
    source: ctx.input.name, tool: '@genolake/vcs', toolVersion: '0.1.0',
    options: { ...set, mode, codec: `zstd:${set.level}` }, createdAt: new Date().toISOString(),
  });
  const contigs: string[] = [...(old?.contigs ?? [])];
  let chunk: EncodedRecord[] = [];
  const encode = encoder(ctx, header, set);
  let bytes = 0, records = 0, parts = old ? lastPart(ds.manifest.chunks) : 0, files = 0, bytesWritten = 0;

  const flush = async (): Promise<void> => {
    if (!chunk.length) return;
    const n = await writePart(ctx, tx, header, chunk, { token, part: ++parts, set, provenance, samples: header.samples.length, sampleBase: 0 });
    files += n.files;
    bytesWritten += n.bytes;
    records += chunk.length;
    ctx.progress?.update(records, undefined, `${records} variants`);
    chunk = [];
    bytes = 0;
  };

  try {
    // VCF samples go straight into cells (and the marker-major copy's rows over all samples)
    const direct = new DirectEncoder(sampleGroups(header.samples.length, set.sampleBatch, set.sampleGroup), set.markerKeys);
    const cells: SampleCells | undefined = direct && ((keys, defs, b, t, n) => direct.encode(keys, defs, b, t, n));
    for await (const batch of reader.batches(batchSize(header.samples.length), cells)) {
      for (const r of batch) {
        const last = chunk[chunk.length - 1];
        if (last && (last.site.chrom !== r.chrom || chunk.length >= set.chunkRecords || bytes >= set.chunkBytes)) await flush();
        if (!contigs.includes(r.chrom)) contigs.push(r.chrom);
        const e = encode(r);
        chunk.push(e);
        bytes += encodedBytes(e);
      }
    }
    await flush();
  } catch (e) {
    await tx.abort();
    if (isGenolakeError(e)) throw e;
    throw new InputError(`${ctx.input.name} line ${reader.lineNo}: not readable as VCF (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const undeclared = [...new Set([...(old?.undeclared ?? []), ...header.undeclared().map((u) => `${u.kind}/${u.def.id}`)])];
  const headerText = old ? mergeHeaderText(old.headerText, header.source, old.samples) : header.source;
  const meta: VcsMetadata = {
    headerText, samples: header.samples, sampleBatch: set.sampleBatch, sampleGroup: set.sampleGroup, contigs,
    records: (old?.records ?? 0) + records, rowGroupSize: set.rowGroupSize, undeclared, markerKeys: set.markerKeys,
  };
  tx.setMetadata({ ...meta, schema: schemaDocument(header, false) } as unknown as Record<string, unknown>);
  const m = await tx.commit({ operation: { kind: mode, summary: `${records} variants, ${header.samples.length} samples from ${ctx.input.name}` } });
  // A readable copy for people and Parquet engines, like _metadata.json (the manifest is the truth).
  await ctx.store.put(SCHEMA_KEY, new TextEncoder().encode(`${JSON.stringify(schemaDocument(header), null, 2)}\n`)).catch(() => undefined);
  return { version: m.version, records, chunks: files, bytesWritten };
}

/** The highest part number among `chunks` (new parts continue from it). */
export function lastPart(chunks: readonly { extra?: Record<string, unknown> }[]): number {
  return chunks.reduce((a, c) => Math.max(a, Number(c.extra?.part ?? 0)), 0);
}

export interface PartOptions {
  token: string;
  part: number;
  set: WriteSettings;
  provenance: number;
  /** The input's sample count. */
  samples: number;
  /** Dataset index of the input's first sample (nonzero for added samples). */
  sampleBase: number;
}

/** One new part: its sites file, its sample-batch files and (marker-major) its markers object. */
export async function writePart(ctx: ConvertContext, tx: Transaction, header: Header, rows: EncodedRecord[], o: PartOptions): Promise<{ files: number; bytes: number; key: string }> {
  const recs = rows.map((r) => r.site);
  const contig = recs[0]!.chrom;
  let minPos = Infinity, maxEnd = -Infinity;
  for (const r of recs) {
    if (r.pos < minPos) minPos = r.pos;
    const e = siteEnd(r);
    if (e > maxEnd) maxEnd = e;
  }
  const base = `${partitionDir(contig)}/part-${String(o.part).padStart(6, '0')}-${o.token}`;
  const region = { contig, start: minPos - 1, end: maxEnd };
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const sites = writeParquet(ctx.host, siteColumns(recs, header), { rowGroupSize: o.set.rowGroupSize, level: o.set.level });
  const siteKey = `${base}.sites.parquet`;
  await tx.putChunk(siteKey, sites, {
    partition: contig, records: recs.length, region, keyRange: { min: [minPos], max: [recs[recs.length - 1]!.pos] },
    provenance: o.provenance, extra: { kind: 'sites', part: o.part },
  }, signal);
  const more = await writeSamples(ctx, tx, header, rows, recs.map((r) => ({ pos: r.pos, end: siteEnd(r) })), siteKey, region, o);
  return { files: 1 + more.files, bytes: sites.byteLength + more.bytes, key: siteKey };
}

/**
 * Sample-batch files (and the markers object) of a part whose sites file is `siteKey`: `rows[i]`
 * is the part's row i (null: the input lacks that site), `sites[i]` its POS and END.
 * `formats`: write each row's FORMAT keys in a `_format` column (batches added to older parts).
 */
export async function writeSamples(ctx: ConvertContext, tx: Transaction, header: Header, rows: (EncodedRecord | null)[], sites: { pos: number; end: number }[], siteKey: string, region: { contig: string; start: number; end: number }, o: PartOptions, formats = false): Promise<{ files: number; bytes: number }> {
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const contig = region.contig;
  let files = 0, bytes = 0;
  const base = siteKey.replace(/\.sites\.parquet$/, '');
  const tag = o.sampleBase ? `-${o.token}` : '';
  const groups = sampleGroups(o.samples, o.set.sampleBatch, o.set.sampleGroup);
  const scalars = scalarKeys(header);
  for (let from = 0, bi = 0; from < o.samples; from += o.set.sampleBatch, bi++) {
    const to = Math.min(o.samples, from + o.set.sampleBatch);
    const mine = groups.flatMap(([b, local, a, z], index) => (b === bi ? [{ index, local, n: z - a }] : []));
    const cols: ParquetColumn[] = sampleColumns(rows, mine, scalars);
    if (formats) cols.push({ name: '_format', type: 'STRING', data: rows.map((r) => (r?.site.format.length ? r.site.format.join(':') : null)), statistics: false });
    const data = writeParquet(ctx.host, cols, { rowGroupSize: o.set.rowGroupSize, level: o.set.level, pageSize: MATRIX_PAGE_BYTES });
    const b = o.sampleBase + from;
    await tx.putChunk(`${base}${tag}.samples-${String(b).padStart(5, '0')}.parquet`, data, {
      partition: contig, records: rows.length, region, provenance: o.provenance, columnsOf: siteKey,
      extra: { kind: 'samples', part: o.part, batch: Math.floor(b / o.set.sampleBatch), sampleFrom: b, sampleTo: o.sampleBase + to, group: o.set.sampleGroup, sites: siteKey },
    }, signal);
    files++;
    bytes += data.byteLength;
  }
  const first = rows.find((r) => r?.block);
  if (first) {
    const blank = rows.some((r) => !r) ? markerBlock(null, undefined, o.set.markerKeys, ctx.host.getCodec('zstd'), o.set.level) : undefined;
    const { bytes: mk, pages } = buildMarkers(rows.map((r) => r?.block ?? blank!), sites, ctx.host.getCodec('zstd'), o.set.level);
    await tx.putChunk(`${base}${tag}.markers-${String(o.sampleBase).padStart(5, '0')}.bin`, mk, {
      partition: contig, records: rows.length, region, provenance: o.provenance, columnsOf: siteKey,
      extra: { kind: 'markers', part: o.part, sites: siteKey, sampleFrom: o.sampleBase, sampleTo: o.sampleBase + o.samples, keys: o.set.markerKeys, pages },
    }, signal);
    files++;
    bytes += mk.byteLength;
  }
  return { files, bytes };
}
