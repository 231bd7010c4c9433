/**
 * BED -> dataset: one partition per contig, a chunk every `chunkRecords` records or at each
 * contig change (so chunk order is input order), each with its region, key range and stats.
 */
import { createBatchBuilder, Dataset, encodeChunk, InputError, isGenolakeError, type ConvertContext, type ConvertResult } from '@genolake/core';
import { readLines } from './io/reader.js';
import { bedSchema, parseBedLine, type BedRecord } from './record.js';

export const FORMAT = 'bed-intervals';
export const FORMAT_VERSION = '1';
const VERSION = '0.1.0';

export async function convertBed(ctx: ConvertContext): Promise<ConvertResult> {
  const chunkRecords = Number(ctx.options.chunkRecords ?? 100_000);
  if (!Number.isSafeInteger(chunkRecords) || chunkRecords < 1) throw new InputError(`chunkRecords must be a positive integer`);
  const mode = String(ctx.options.mode ?? 'create');
  const header: string[] = [];
  const ds = mode === 'create'
    ? await Dataset.create(ctx.store, { format: FORMAT, formatVersion: FORMAT_VERSION })
    : await Dataset.open(ctx.store);
  const tx = ds.begin();
  if (mode === 'replace') tx.removeChunks(ds.manifest.chunks.map((c) => c.key));
  const provenance = tx.addProvenance({
    source: ctx.input.name, tool: '@genolake/example-bed-intervals', toolVersion: VERSION,
    options: { chunkRecords }, createdAt: new Date().toISOString(),
  });
  const builder = createBatchBuilder(bedSchema);
  let batch: BedRecord[] = [];
  let records = 0, chunks = 0, bytesWritten = 0;

  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    for (const r of batch) builder.append(r);
    const first = batch[0]!, last = batch[batch.length - 1]!;
    const enc = encodeChunk({ schema: bedSchema, batch: builder.finish(), registry: ctx.host, keyRange: { min: [first.start], max: [last.start] } });
    const end = batch.reduce((m, r) => Math.max(m, r.end), 0);
    const key = tx.chunkKey(first.chrom, `c${String(++chunks).padStart(6, '0')}`);
    await tx.putChunk(key, enc.bytes, {
      partition: first.chrom, records: enc.records, region: { contig: first.chrom, start: first.start, end },
      keyRange: { min: [first.start], max: [last.start] }, stats: enc.stats, layout: enc.layout, provenance,
    });
    records += enc.records;
    bytesWritten += enc.bytes.byteLength;
    ctx.progress?.update(records, undefined, `${records} intervals`);
    batch = [];
  };

  let n = 0;
  try {
    for await (const line of readLines(ctx.input, ctx.signal)) {
      n++;
      if (line === '' || line.startsWith('#') || line.startsWith('track') || line.startsWith('browser')) {
        if (line !== '' && records + batch.length === 0) header.push(line);
        continue;
      }
      const rec = parseBedLine(line, `${ctx.input.name} line ${n}`);
      if (batch.length && (batch.length >= chunkRecords || batch[0]!.chrom !== rec.chrom || rec.start < batch[batch.length - 1]!.start)) await flush();
      batch.push(rec);
    }
    await flush();
  } catch (e) {
    await tx.abort();
    if (isGenolakeError(e)) throw e;
    throw new InputError(`${ctx.input.name} line ${n}: not readable as BED text (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (records === 0) {
    await tx.abort();
    throw new InputError(`${ctx.input.name}: no BED records found`);
  }
  // Header lines (track, browser, #) are kept so export gives them back.
  if (mode !== 'append') tx.setMetadata({ header });
  const m = await tx.commit({ operation: { kind: mode, summary: `${records} intervals from ${ctx.input.name}` } });
  return { version: m.version, records, chunks, bytesWritten };
}
