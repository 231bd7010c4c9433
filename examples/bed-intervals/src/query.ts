/**
 * Query and export: prune chunks by region from the manifest alone, plan bounded reads of
 * only the header and the streams of the needed fields, decode, filter exactly on [start, end)
 * overlap, and write BED or JSON lines.
 */
import {
  batchToRows, Dataset, decodeChunkStreams, explainPlan, fetchPlan, InvalidArgumentError, overlaps, planReads, pruneChunks,
  readChunkHeader, streamNamesFor, type ExportContext, type QueryContext, type QueryResult,
} from '@genolake/core';
import { bedSchema, FIELDS, formatBed } from './record.js';

export async function queryBed(ctx: QueryContext | ExportContext, format: string, withHeader = false): Promise<QueryResult> {
  const req = ctx.request;
  if (req.where) throw new InvalidArgumentError('bed-intervals does not support --where; use regions and --fields');
  const fields = req.fields ?? FIELDS;
  for (const f of fields) if (!(FIELDS as string[]).includes(f)) throw new InvalidArgumentError(`unknown field "${f}" (fields: ${FIELDS.join(', ')})`);
  if (format !== 'bed' && format !== 'jsonl') throw new InvalidArgumentError(`bed-intervals writes bed or jsonl, not ${format}`);
  const ds = await Dataset.open(ctx.store, req.version !== undefined ? { version: req.version } : {});
  const chunks = req.regions ? pruneChunks(ds.manifest.chunks, { regions: req.regions }) : ds.manifest.chunks;
  // The exact overlap filter needs the coordinates even when they are not printed.
  const decodeFields = req.regions ? [...new Set([...fields, 'chrom', 'start', 'end'])] : [...fields];
  const plan = planReads(chunks, { streams: streamNamesFor(bedSchema, decodeFields) });
  if (req.explain) return { records: 0, explain: explainPlan(plan, [`${chunks.length} of ${ds.manifest.chunks.length} chunks after region pruning`]) };

  if (withHeader) for (const h of (ds.manifest.metadata.header as string[] | undefined) ?? []) await ctx.output.write(`${h}\n`);
  const limit = req.limit ?? Infinity;
  let written = 0;
  for await (const got of fetchPlan(ctx.store, plan, ctx.signal ? { signal: ctx.signal } : {})) {
    const header = readChunkHeader(got.header, got.chunk.key);
    const rows = batchToRows(decodeChunkStreams(header, got.streams, ctx.host, { name: got.chunk.key, fields: decodeFields }));
    let text = '';
    for (const row of rows) {
      if (req.regions && !req.regions.some((q) => q.contig === row.chrom && overlaps(row.start as number, row.end as number, q.start, q.end))) continue;
      if (written >= limit) break;
      written++;
      const out = Object.fromEntries(fields.filter((f) => row[f] !== null && row[f] !== undefined).map((f) => [f, row[f]]));
      text += format === 'bed' ? `${formatBed(out, fields)}\n` : `${JSON.stringify(out)}\n`;
    }
    await ctx.output.write(text);
    if (written >= limit) break;
  }
  return { records: written };
}
