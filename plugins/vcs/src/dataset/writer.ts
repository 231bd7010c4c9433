/**
 * VCF -> dataset version. Records stream in; a chunk is cut at every contig change and when it
 * reaches `chunkRecords` records or ~`chunkBytes` of values. Each chunk becomes one sites file
 * and one file per batch of `sampleBatch` samples, all under the contig's Hive directory, all
 * with the same rows in the same order (row groups of `rowGroupSize` records, by position).
 * Nothing is visible until the manifest commit; a bad line aborts the transaction.
 */
import { randomBytes } from 'node:crypto';
import { Dataset, InputError, InvalidArgumentError, isGenolakeError, type ConvertContext, type ConvertResult, type Transaction } from '@genolake/core';
import type { Header } from '../header/header.js';
import { Reader } from '../io/reader.js';
import type { VcfRecord } from '../record/record.js';
import { sampleColumns, siteColumns, siteEnd } from './columns.js';
import { writeParquet } from './parquet.js';
import { FORMAT, FORMAT_VERSION, partitionDir, schemaDocument, SCHEMA_KEY, type VcsMetadata } from './schema.js';

function positiveInt(v: unknown, what: string, dflt: number): number {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(v)}`);
  return n;
}

function approxBytes(r: VcfRecord): number {
  return 64 + r.ref.length + r.info.length * 12 + r.samples.length * (r.samples[0]?.length ?? 0) * 6;
}

export async function convertVariants(ctx: ConvertContext): Promise<ConvertResult> {
  const chunkRecords = positiveInt(ctx.options.chunkRecords, 'chunkRecords', 100_000);
  const chunkBytes = positiveInt(ctx.options.chunkBytes, 'chunkBytes', 64 * 1024 * 1024);
  const rowGroupSize = positiveInt(ctx.options.rowGroupSize, 'rowGroupSize', 10_000);
  const sampleBatch = positiveInt(ctx.options.sampleBatch, 'sampleBatch', 1000);
  const reader = await Reader.open(ctx.input, { ...(ctx.signal ? { signal: ctx.signal } : {}), onWarning: ctx.log });
  const header = reader.header;
  const ds = await Dataset.create(ctx.store, { format: FORMAT, formatVersion: FORMAT_VERSION });
  const tx = ds.begin();
  const token = randomBytes(8).toString('hex');
  const provenance = tx.addProvenance({
    source: ctx.input.name, tool: '@genolake/vcs', toolVersion: '0.1.0',
    options: { chunkRecords, chunkBytes, rowGroupSize, sampleBatch, codec: 'zstd:3' }, createdAt: new Date().toISOString(),
  });
  const contigs: string[] = [];
  let chunk: VcfRecord[] = [];
  let bytes = 0, records = 0, parts = 0, files = 0, bytesWritten = 0;

  const flush = async (): Promise<void> => {
    if (!chunk.length) return;
    const n = await writeChunk(ctx, tx, header, chunk, { token, part: ++parts, rowGroupSize, sampleBatch, provenance });
    files += n.files;
    bytesWritten += n.bytes;
    records += chunk.length;
    ctx.progress?.update(records, undefined, `${records} variants`);
    chunk = [];
    bytes = 0;
  };

  try {
    for await (const batch of reader.batches()) {
      for (const r of batch) {
        const last = chunk[chunk.length - 1];
        if (last && (last.chrom !== r.chrom || chunk.length >= chunkRecords || bytes >= chunkBytes)) await flush();
        if (!contigs.includes(r.chrom)) contigs.push(r.chrom);
        chunk.push(r);
        bytes += approxBytes(r);
      }
    }
    await flush();
  } catch (e) {
    await tx.abort();
    if (isGenolakeError(e)) throw e;
    throw new InputError(`${ctx.input.name} line ${reader.lineNo}: not readable as VCF (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const undeclared = header.undeclared().map((u) => `${u.kind}/${u.def.id}`);
  const meta: VcsMetadata = { headerText: header.source, samples: header.samples, sampleBatch, contigs, records, rowGroupSize, undeclared };
  tx.setMetadata({ ...meta, schema: schemaDocument(header) } as unknown as Record<string, unknown>);
  const m = await tx.commit({ operation: { kind: 'create', summary: `${records} variants, ${header.samples.length} samples from ${ctx.input.name}` } });
  // A readable copy for people and Parquet engines, like _metadata.json (the manifest is the truth).
  await ctx.store.put(SCHEMA_KEY, new TextEncoder().encode(`${JSON.stringify(schemaDocument(header), null, 2)}\n`)).catch(() => undefined);
  return { version: m.version, records, chunks: files, bytesWritten };
}

interface ChunkOptions { token: string; part: number; rowGroupSize: number; sampleBatch: number; provenance: number }

async function writeChunk(ctx: ConvertContext, tx: Transaction, header: Header, recs: VcfRecord[], o: ChunkOptions): Promise<{ files: number; bytes: number }> {
  const contig = recs[0]!.chrom;
  let minPos = Infinity, maxEnd = -Infinity;
  for (const r of recs) {
    if (r.pos < minPos) minPos = r.pos;
    const e = siteEnd(r);
    if (e > maxEnd) maxEnd = e;
  }
  const dir = partitionDir(contig);
  const base = `${dir}/part-${String(o.part).padStart(6, '0')}-${o.token}`;
  const region = { contig, start: minPos - 1, end: maxEnd };
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const sites = writeParquet(ctx.host, siteColumns(recs, header), { rowGroupSize: o.rowGroupSize });
  const siteKey = `${base}.sites.parquet`;
  await tx.putChunk(siteKey, sites, {
    partition: contig, records: recs.length, region, keyRange: { min: [minPos], max: [recs[recs.length - 1]!.pos] },
    provenance: o.provenance, extra: { kind: 'sites', part: o.part },
  }, signal);
  let files = 1, bytes = sites.byteLength;
  for (let from = 0, b = 0; from < header.samples.length; from += o.sampleBatch, b++) {
    const to = Math.min(header.samples.length, from + o.sampleBatch);
    const data = writeParquet(ctx.host, sampleColumns(recs, header, from, to), { rowGroupSize: o.rowGroupSize });
    await tx.putChunk(`${base}.samples-${String(b).padStart(5, '0')}.parquet`, data, {
      partition: contig, records: recs.length, region, provenance: o.provenance,
      extra: { kind: 'samples', part: o.part, batch: b, sampleFrom: from, sampleTo: to, sites: siteKey },
    }, signal);
    files++;
    bytes += data.byteLength;
  }
  return { files, bytes };
}
