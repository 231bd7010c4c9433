/**
 * BAM/SAM -> dataset version. Records are cut into chunks in input order: a new chunk starts
 * at every reference change and when the chunk reaches its size target, so exporting the
 * chunks in manifest order gives the input back record for record. Coordinate-sorted input
 * (the normal case) makes one run of chunks per reference, each with a tight region for
 * pruning; other orders are accepted and kept (region queries stay exact, just prune less).
 * Unplaced unmapped reads form the `unmapped` partition. Each reference gets an index object
 * `_index/<contig>.idx` listing its chunks' [start, end) and record counts.
 */
import { Dataset, GROUP_RECORD_ALIGNMENT, InputError, InvalidArgumentError, isGenolakeError, type ConvertContext, type ConvertResult, type EncodedChunk, type RecordSchema, type Transaction } from '@genolake/core';
import { open } from '../open.js';
import type { Header } from '../header.js';
import { ensureCodecs } from '../codecs/index.js';
import { BufferPool, ChunkColumns, type ColumnSizes } from './columns.js';
import { ChunkEncoder, type EncodedJob } from './encode-task.js';
import { MATES_RELATIVE } from './mates.js';
import { dropTags, illumina8, parseLossy, tagCodes } from './lossy.js';
import { FORMAT, FORMAT_VERSION, pafSchema, parseQualities, schemaFor } from './schema.js';

const VERSION = '0.1.0';
/**
 * Record groups (pages) per chunk: a region query reads and decodes only the groups it
 * overlaps. Measured in docs/formats/paf.md ("Record groups").
 */
export const DEFAULT_GROUP_RECORDS = 2048;
export const DEFAULT_GROUP_BYTES = 1024 * 1024;
export const UNMAPPED = 'unmapped';

export interface PafMetadata {
  sample?: string;
  reference?: string;
  headerText: string;
  contigs: { name: string; length: number }[];
  chunkRecords: number;
  chunkBytes: number;
  /** Record-group (page) targets used: records, raw BAM bytes. */
  groupRecords?: number;
  groupBytes?: number;
  codecs: Record<string, string>;
  readCount: number;
  lossy: Record<string, unknown>;
}

function positiveInt(v: unknown, what: string, dflt: number): number {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(v)}`);
  return n;
}

function headerTag(text: string, type: string, tag: string): string | undefined {
  const m = new RegExp(`(^|\\n)@${type}\\t[^\\n]*?\\b${tag}:([^\\t\\n]*)`).exec(text);
  return m?.[2];
}

export function codecsOf(schema: RecordSchema = pafSchema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, type] of Object.entries(schema.fields)) out[name] = (type as { pipeline: string }).pipeline;
  return out;
}

/** Chunk key segment for a reference: its name when key-safe, else `ref<id>`. */
export function partitionName(name: string, refId: number): string {
  return /^[A-Za-z0-9._-]{1,100}$/.test(name) && name !== UNMAPPED ? name : `ref${refId}`;
}

interface IndexRow { key: string; start: number; end: number; maxPos: number; records: number }

export async function convertAlignments(ctx: ConvertContext): Promise<ConvertResult> {
  const chunkRecords = positiveInt(ctx.options.chunkRecords, 'chunkRecords', 1_000_000);
  const chunkBytes = positiveInt(ctx.options.chunkBytes, 'chunkBytes', 48 * 1024 * 1024);
  const groupRecords = positiveInt(ctx.options.groupRecords, 'groupRecords', DEFAULT_GROUP_RECORDS);
  if (groupRecords % GROUP_RECORD_ALIGNMENT !== 0) throw new InvalidArgumentError(`groupRecords must be a multiple of ${GROUP_RECORD_ALIGNMENT}, got ${groupRecords}`);
  const groupBytes = positiveInt(ctx.options.groupBytes, 'groupBytes', DEFAULT_GROUP_BYTES);
  const groupTarget = { records: groupRecords, bytes: groupBytes };
  const qualities = parseQualities(ctx.options.qualities);
  ensureCodecs(ctx.host);
  const lossy = parseLossy(ctx.options);
  const qualMap = lossy.qualityBins ? illumina8() : undefined;
  const drop = tagCodes(lossy.dropTags);
  const mode = String(ctx.options.mode ?? 'create');
  const reader = await open(ctx.input, { ...(ctx.signal ? { signal: ctx.signal } : {}), onWarning: ctx.log });
  const header = reader.header;
  const ds = mode === 'create' ? await Dataset.create(ctx.store, { format: FORMAT, formatVersion: FORMAT_VERSION }) : await Dataset.open(ctx.store);
  if (mode === 'append') checkCompatible(ds.manifest.metadata as unknown as PafMetadata, header, ctx.input.name);
  const tx = ds.begin();
  if (mode === 'replace') {
    tx.removeChunks(ds.manifest.chunks.map((c) => c.key));
    tx.removeIndexes(ds.manifest.indexes.map((i) => i.name));
  }
  const provenance = tx.addProvenance({
    source: ctx.input.name, tool: '@genolake/paf', toolVersion: VERSION,
    options: { chunkRecords, chunkBytes, groupRecords, groupBytes, qualities, lossy }, createdAt: new Date().toISOString(),
  });
  const names = header.names;
  const index = new Map<number, IndexRow[]>();
  // Column buffers come back from the encoder and are reused for later chunks.
  const buffers = new BufferPool();
  let cols = new ChunkColumns(groupTarget, undefined, buffers);
  let sizes: ColumnSizes | undefined;
  let refId = -2;
  let records = 0, chunks = 0, bytesWritten = 0;

  // Chunks are encoded in the worker pool (when running compiled) while the next ones are
  // built; they are stored in input order as they come back.
  const encoder = new ChunkEncoder(ctx.host);
  const inflight: { done: Promise<EncodedJob>; put(enc: EncodedChunk): Promise<void> }[] = [];
  const drain = async (keep: number): Promise<void> => {
    while (inflight.length > keep) {
      const job = inflight.shift()!;
      const enc = await job.done;
      buffers.put(enc.spare);
      await job.put(enc);
    }
  };

  const flush = async (): Promise<void> => {
    if (cols.length === 0) return;
    const batch = cols.finish();
    const placed = refId >= 0;
    const chunkRef = refId;
    const contig = placed ? names[refId]! : '*';
    const start = cols.minPos === Infinity ? 0 : cols.minPos;
    const end = cols.maxEnd === -Infinity ? 0 : cols.maxEnd;
    const maxPos = cols.maxPos === -Infinity ? 0 : cols.maxPos;
    const keyRange = { min: [refId, start], max: [refId, maxPos] };
    const partition = placed ? partitionName(contig, refId) : UNMAPPED;
    const key = tx.chunkKey(partition, `chunk_${start + 1}-${end}_${String(++chunks).padStart(6, '0')}`);
    const done = encoder.encode({ columns: batch.columns, length: batch.length, groups: cols.groups, keyRange, qualities }, ctx.signal);
    done.catch(() => undefined); // awaited (and its error raised) by drain
    inflight.push({
      done,
      put: async (enc) => {
        await tx.putChunk(key, enc.bytes, {
          partition, records: enc.records, ...(placed ? { region: { contig, start, end } } : {}),
          keyRange, stats: enc.stats, layout: enc.layout, provenance, extra: { refId: chunkRef, mates: MATES_RELATIVE },
        }, ctx.signal ? { signal: ctx.signal } : {});
        if (placed) {
          let rows = index.get(chunkRef);
          if (!rows) index.set(chunkRef, (rows = []));
          rows.push({ key, start, end, maxPos, records: enc.records });
        }
        records += enc.records;
        bytesWritten += enc.bytes.byteLength;
        ctx.progress?.update(records, undefined, `${records} alignments`);
      },
    });
    // The next chunk starts with buffers as large as the largest chunk's so far (no regrowth),
    // taken after the drain so the buffers of the chunks just stored are free again.
    sizes = cols.sizes(sizes);
    await drain(encoder.parallel);
    cols = new ChunkColumns(groupTarget, sizes, buffers);
  };

  try {
    for await (const batch of reader.batches()) {
      for (const rec of batch) {
        const r = rec.refId;
        if (r !== refId || cols.length >= chunkRecords || cols.rawBytes >= chunkBytes) {
          await flush();
          refId = r;
        }
        if (drop.size) cols.add(rec, lossy.dropNames === true, qualMap, dropTags(rec.aux, drop, `${ctx.input.name} record ${reader.count}`));
        else cols.add(rec, lossy.dropNames === true, qualMap);
      }
    }
    await flush();
    await drain(0);
    await writeIndexes(tx, mode === 'append' ? ds.manifest : { chunks: [] }, index, names);
  } catch (e) {
    await tx.abort();
    if (isGenolakeError(e)) throw e;
    throw new InputError(`${ctx.input.name} record ${reader.count + 1}: not readable as SAM/BAM (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const prior = mode === 'append' ? Number((ds.manifest.metadata as { readCount?: number }).readCount ?? 0) : 0;
  const meta: PafMetadata = {
    headerText: header.text,
    contigs: header.refs.map((r) => ({ name: r.name, length: r.length })),
    chunkRecords, chunkBytes, groupRecords, groupBytes, codecs: codecsOf(schemaFor(qualities)), readCount: prior + records,
    lossy: { ...(mode === 'append' ? ((ds.manifest.metadata as { lossy?: object }).lossy ?? {}) : {}), ...(Object.keys(lossy).length ? { [ctx.input.name]: lossy } : {}) },
  };
  const sample = headerTag(header.text, 'RG', 'SM');
  if (sample !== undefined) meta.sample = sample;
  const ref = headerTag(header.text, 'SQ', 'UR') ?? headerTag(header.text, 'SQ', 'AS');
  if (ref !== undefined) meta.reference = ref;
  if (mode === 'append') {
    // The header of the dataset gains the new input's @RG/@PG/@CO lines it lacks.
    const old = (ds.manifest.metadata as unknown as PafMetadata).headerText;
    const have = new Set(old.split('\n'));
    meta.headerText = old + header.text.split('\n').filter((l) => l && !l.startsWith('@SQ') && !l.startsWith('@HD') && !have.has(l)).map((l) => `${l}\n`).join('');
    const oldSample = (ds.manifest.metadata as { sample?: string }).sample;
    if (meta.sample === undefined && oldSample) meta.sample = oldSample;
  }
  tx.setMetadata(meta as unknown as Record<string, unknown>);
  const m = await tx.commit({ operation: { kind: mode, summary: `${records} alignments from ${ctx.input.name}` } });
  return { version: m.version, records, chunks, bytesWritten };
}

function checkCompatible(old: PafMetadata, header: Header, name: string): void {
  const a = old.contigs ?? [];
  const b = header.refs;
  const same = a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.length === b[i]!.length);
  if (!same) throw new InputError(`${name}: its @SQ references differ from the dataset's (${a.length} vs ${b.length} references); append needs the same reference`);
}

/** `_index/<contig>.idx`: JSON rows {key, start, end, maxPos, records}, all versions' chunks of that reference. */
async function writeIndexes(tx: Transaction, base: { chunks: { key: string; region?: { start: number; end: number }; records: number; extra?: Record<string, unknown>; keyRange?: { max: unknown[] } }[] }, fresh: Map<number, IndexRow[]>, names: string[]): Promise<void> {
  for (const [refId, rows] of fresh) {
    const old: IndexRow[] = base.chunks
      .filter((c) => c.extra?.refId === refId && c.region)
      .map((c) => ({ key: c.key, start: c.region!.start, end: c.region!.end, maxPos: Number(c.keyRange?.max[1] ?? c.region!.end), records: c.records }));
    const all = [...old, ...rows];
    const name = partitionName(names[refId]!, refId);
    const bytes = new TextEncoder().encode(JSON.stringify({ contig: names[refId], refId, chunks: all }));
    await tx.putIndex(name, 'paf-contig', tx.indexKey(name), bytes, { contig: names[refId], chunks: all.length });
  }
}
