/**
 * `--option addSamples=true` (with --append): a VCF of new samples becomes a new version without
 * rewriting any existing object.
 *
 * - A record matches an existing site row when CHROM, POS, REF and ALT are equal. The new
 *   samples' values of matched rows go into new sample-batch files keyed to the existing part
 *   (`extra.sites`), one row per site row of the part in the same order; rows the input lacks
 *   are null (read as missing). These files carry each row's FORMAT keys (`_format`), and a
 *   record's FORMAT is the union of its site row's keys and its batches' keys.
 * - Records matching no site row become new parts (new site rows; site fields from this input);
 *   the dataset's earlier samples have no batch there and read as missing.
 * - A sample with no value for a record reads as missing; an absent GT prints as missing with the
 *   row's ploidy (`./.`), as `bcftools merge` writes.
 * The dataset's sample list grows by the input's samples (names must be new); the header gains
 * the input's `##` lines it lacks.
 */
import { randomBytes } from 'node:crypto';
import { Dataset, InputError, InvalidArgumentError, isGenolakeError, type ChunkEntry, type ConvertContext, type ConvertResult } from '@genolake/core';
import { Reader } from '../io/reader.js';
import type { EncodedRecord } from './columns.js';
import { readParquet, storeBuffer } from './parquet.js';
import { Header } from '../header/header.js';
import { mergeHeaderText, schemaDocument, SCHEMA_KEY, type VcsMetadata } from './schema.js';
import { batchSize, encoder, lastPart, settings, writePart, writeSamples } from './writer.js';

interface SitePart { entry: ChunkEntry; rows: (EncodedRecord | null)[]; sites: { pos: number; end: number }[]; matched: number }

const siteKey = (pos: number, ref: string, alt: string): string => `${pos}\t${ref}\t${alt}`;

export async function addSamples(ctx: ConvertContext): Promise<ConvertResult> {
  if (String(ctx.options.mode) !== 'append') throw new InvalidArgumentError('addSamples adds a version to an existing dataset: use convert --append --option addSamples=true');
  const ds = await Dataset.open(ctx.store);
  const old = ds.manifest.metadata as unknown as VcsMetadata;
  const reader = await Reader.open(ctx.input, { ...(ctx.signal ? { signal: ctx.signal } : {}), onWarning: ctx.log });
  const header = reader.header;
  const dup = header.samples.filter((s) => old.samples.includes(s));
  if (dup.length) throw new InvalidArgumentError(`cannot add samples from ${ctx.input.name}: ${dup.length} are already in the dataset (${dup.slice(0, 3).join(', ')})`);
  if (!header.samples.length) throw new InvalidArgumentError(`${ctx.input.name} has no samples to add`);
  const set = settings(ctx.options, old);
  const tx = ds.begin();
  const token = randomBytes(8).toString('hex');
  const provenance = tx.addProvenance({
    source: ctx.input.name, tool: '@genolake/vcs', toolVersion: '0.1.0',
    options: { ...set, mode: 'add-samples', codec: `zstd:${set.level}` }, createdAt: new Date().toISOString(),
  });
  const base = old.samples.length;
  const encode = encoder(ctx, header, set);
  const n = header.samples.length;
  let part = lastPart(ds.manifest.chunks), files = 0, bytesWritten = 0, records = 0, fresh = 0;
  const contigs = [...old.contigs];

  // the site rows of one contig: (POS, REF, ALT) -> part and row
  let contig: string | undefined;
  let parts: SitePart[] = [];
  let index = new Map<string, { part: SitePart; row: number }>();
  let unmatched: EncodedRecord[] = [];
  const load = async (c: string): Promise<void> => {
    parts = [];
    index = new Map();
    for (const entry of ds.manifest.chunks.filter((x) => x.extra?.kind === 'sites' && x.partition === c)) {
      const rows = await readParquet(ctx.host, storeBuffer(ctx.store, entry.key, entry.size, ctx.signal), { columns: ['POS', 'END', 'REF', 'ALT'] });
      const p: SitePart = { entry, rows: new Array(rows.length).fill(null), sites: rows.map((r) => ({ pos: Number(r.POS), end: Number(r.END) })), matched: 0 };
      rows.forEach((r, i) => index.set(siteKey(Number(r.POS), String(r.REF), r.ALT === null || r.ALT === undefined ? '.' : String(r.ALT)), { part: p, row: i }));
      parts.push(p);
    }
  };
  const flushContig = async (): Promise<void> => {
    for (const p of parts) {
      if (!p.matched) continue;
      const w = await writeSamples(ctx, tx, header, p.rows, p.sites, p.entry.key, p.entry.region!, {
        token, part: Number(p.entry.extra?.part ?? 0), set, provenance, samples: n, sampleBase: base,
      }, true);
      files += w.files;
      bytesWritten += w.bytes;
    }
    for (let i = 0; i < unmatched.length; i += set.chunkRecords) {
      const recs = unmatched.slice(i, i + set.chunkRecords);
      const w = await writePart(ctx, tx, header, recs, { token, part: ++part, set, provenance, samples: n, sampleBase: base });
      files += w.files;
      bytesWritten += w.bytes;
      fresh += recs.length;
    }
    unmatched = [];
  };

  try {
    for await (const batch of reader.batches(batchSize(n))) {
      for (const r of batch) {
        if (r.chrom !== contig) {
          if (contig !== undefined) await flushContig();
          contig = r.chrom;
          await load(contig);
          if (!contigs.includes(contig)) contigs.push(contig);
        }
        records++;
        const hit = index.get(siteKey(r.pos, r.ref, r.alt.length ? r.alt.join(',') : '.'));
        if (hit && !hit.part.rows[hit.row]) {
          hit.part.rows[hit.row] = encode(r);
          hit.part.matched++;
        } else unmatched.push(encode(r));
      }
    }
    if (contig !== undefined) await flushContig();
  } catch (e) {
    await tx.abort();
    if (isGenolakeError(e)) throw e;
    throw new InputError(`${ctx.input.name} line ${reader.lineNo}: not readable as VCF (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const samples = [...old.samples, ...header.samples];
  const headerText = mergeHeaderText(old.headerText, header.source, samples);
  const undeclared = [...new Set([...old.undeclared, ...header.undeclared().map((u) => `${u.kind}/${u.def.id}`)])];
  const meta: VcsMetadata = { ...old, headerText, samples, contigs, records: old.records + fresh, undeclared };
  const merged = Header.parse(headerText.split('\n').filter(Boolean), ctx.input.name);
  tx.setMetadata({ ...meta, schema: schemaDocument(merged, false) } as unknown as Record<string, unknown>);
  const m = await tx.commit({ operation: { kind: 'add-samples', summary: `${header.samples.length} samples over ${records - fresh} existing and ${fresh} new sites from ${ctx.input.name}` } });
  await ctx.store.put(SCHEMA_KEY, new TextEncoder().encode(`${JSON.stringify(schemaDocument(merged), null, 2)}\n`)).catch(() => undefined);
  return { version: m.version, records, chunks: files, bytesWritten };
}
