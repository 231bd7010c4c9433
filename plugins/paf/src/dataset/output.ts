/**
 * Query and export output: SAM text (as samtools view prints it), BAM (BGZF, optionally with
 * its .bai), JSON lines or an Arrow IPC stream of the projected fields. `-c` counts; `-h`/`-H`
 * control the header as in samtools view. A region on a reference the dataset does not have is
 * reported and skipped, as samtools view does. The BAM writer (and with it BGZF) and the Arrow
 * writer are imported only for their formats: a SAM query loads neither.
 */
import { InvalidArgumentError, formatRegion, openSink, type Region, type BinaryColumn, type ByteSink, type ColumnBatch, type Host, type PlanExplainReport, type ListColumn, type NumericColumn, type ObjectStore, type QueryRequest, type QueryResult } from '@genolake/core';
import { formatAux } from '../aux.js';
import { CIGAR_OPS } from '../cigar.js';
import type { Writer as BamWriter } from '../bam/writer.js';
import type { BaiBuilder } from '../bam/bai.js';
import type { BlockMap } from '../bam/block-map.js';
import type { Header } from '../header.js';
import { RecordAssembler } from './columns.js';
import { filterRows, PafDataset, type ScanOptions } from './reader.js';
import { claimSlot, poolWorkers, releaseSlot, runSamJob, samJobs, slotText, STAGE_ROWS, usePool, warmPool, type SamJob, type SamPiece, type WorkerMode } from './sam-workers.js';
import { decodeSamPart } from './sam-decode.js';
import { SamText } from './sam-text.js';
import { FIELDS } from './schema.js';
import { OUTPUT_FORMATS } from './output-formats.js';

export { OUTPUT_FORMATS };
/** Output is handed to the sink in pieces of about this many bytes. */
const SAM_FLUSH = 1 << 20;

export interface OutputOptions {
  format: string;
  /** SAM: print the header before the records (-h). */
  header?: boolean;
  /** Print only the header (-H). */
  headerOnly?: boolean;
  /** Print only the number of matching records (-c). */
  count?: boolean;
  /** BAM: compression threads; SAM in the worker pool: worker threads decoding and formatting (default one per CPU). */
  threads?: number;
  /**
   * BAM: build the .bai while writing. `true` returns its bytes in the result (paf-to-bam writes
   * them once the BAM is complete); a path or URL writes them there (export's `-O index=PATH`).
   */
  index?: boolean | string;
}

const latin1 = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');

function jsonRow(batch: ColumnBatch, i: number, fields: readonly string[], contig: string): string {
  const c = batch.columns;
  const o: Record<string, unknown> = { rname: contig };
  for (const f of fields) {
    const col = c[f]!;
    if (f === 'cigar') {
      const l = col as ListColumn;
      const ops = (l.child as NumericColumn).values;
      let s = '';
      for (let k = l.offsets[i]!; k < l.offsets[i + 1]!; k++) s += `${(ops[k] as number) >>> 4}${CIGAR_OPS[(ops[k] as number) & 15]}`;
      o.cigar = s || '*';
    } else if (col.kind === 'string' || col.kind === 'bytes') {
      const b = col as BinaryColumn;
      const a = b.offsets[i]!, z = b.offsets[i + 1]!;
      if (f === 'qual') o.qual = z === a || b.data[a] === 0xff ? '*' : Array.from(b.data.subarray(a, z), (q) => String.fromCharCode(q + 33)).join('');
      else if (f === 'aux') o.aux = formatAux(b.data.subarray(a, z));
      else o[f] = latin1(b.data, a, z) || '*';
    } else o[f] = (col as NumericColumn).values[i] as number;
  }
  return JSON.stringify(o);
}

export interface RunQueryInput {
  host: Host;
  store: ObjectStore;
  output: ByteSink;
  request: QueryRequest;
  scan: ScanOptions;
  out: OutputOptions;
  /** The regions as the user wrote them (same order as scan.regions), for warnings. */
  regionText?: string[];
  /** Where warnings go (samtools prints them on stderr); default: dropped. */
  warn?: (message: string) => void;
  signal?: AbortSignal;
  /**
   * The dataset, opened once for many queries (its manifest and the chunk headers it has read
   * are reused; reopen it to see versions committed since). Default: opened for this query.
   */
  dataset?: PafDataset;
  /** SAM output: decode and format record groups in the worker pool (sam-workers.ts); default 'auto'. */
  workers?: WorkerMode;
}

/** Bytes before the first BAM record: magic, l_text, text, n_ref, references (SAMv1 §4.2). */
function bamHeaderLength(h: Header): number {
  let n = 12 + h.text.length;
  for (const r of h.refs) n += 9 + r.name.length;
  return n;
}

/**
 * Drops regions on references the dataset lacks, with samtools 1.16's warning: main_samview's
 * for regions answered in turn, hts_itr_regions' (naming only the reference) under -M / -L.
 */
function knownRegions(input: RunQueryInput, header: Header): Region[] | undefined {
  const regions = input.scan.regions;
  if (!regions?.length) return regions;
  return regions.filter((r, i) => {
    if (r.contig === '*' || header.refId(r.contig) >= 0) return true;
    input.warn?.(input.scan.merge
      ? `[W::hts_itr_regions] Region '${r.contig}' specifies an unknown reference name. Continue anyway`
      : `[main_samview] region "${input.regionText?.[i] ?? formatRegion(r)}" specifies an invalid region or unknown reference. Continue anyway.`);
    return false;
  });
}

export async function runQuery(input: RunQueryInput): Promise<QueryResult & { explain?: PlanExplainReport; bai?: Uint8Array }> {
  const { out } = input;
  if (!OUTPUT_FORMATS.includes(out.format)) throw new InvalidArgumentError(`paf writes ${OUTPUT_FORMATS.join(', ')}, not "${out.format}"`);
  if (input.scan.fields && out.format !== 'jsonl' && out.format !== 'arrow' && !out.count) throw new InvalidArgumentError('--fields projects JSON lines or Arrow output; add --output-format jsonl or arrow (SAM and BAM need every field)');
  const optIndex = input.request.options?.index;
  const index = out.index ?? (typeof optIndex === 'string' && optIndex !== '' && optIndex !== 'false' ? optIndex : undefined);
  if (index !== undefined && index !== false && out.format !== 'bam') throw new InvalidArgumentError(`an index (.bai) is written only with BAM output, not ${out.format}`);
  if (index === 'true') throw new InvalidArgumentError('-O index= takes the path or URL of the .bai to write (for example -O index=out.bam.bai)');
  if (input.dataset && input.request.version !== undefined && input.dataset.ds.manifest.version !== input.request.version) {
    throw new InvalidArgumentError(`the dataset given is version ${input.dataset.ds.manifest.version}, the request asks for version ${input.request.version}`);
  }
  // A query that stops at --limit stays in this thread (the pool would decode groups ahead).
  const mode: WorkerMode = input.request.limit === undefined ? input.workers ?? 'auto' : 'never';
  // SAM records in the worker pool: its threads start importing while the dataset opens.
  if (mode === 'always' && out.format === 'sam' && !out.count && !out.headerOnly && !input.request.explain) warmPool(poolWorkers(out.threads));
  const ds = input.dataset ?? await PafDataset.open(input.store, input.request.version);
  const regions = knownRegions(input, ds.header);
  const scan: ScanOptions = regions ? { ...input.scan, regions } : input.scan;
  /** Every region named an unknown reference: nothing matches (not "no region filter"). */
  const none = input.scan.regions?.length !== undefined && input.scan.regions.length > 0 && regions!.length === 0;
  // Counting decodes only the streams the filters need.
  const counting: ScanOptions = { ...scan, fields: [] };
  if (input.request.explain) {
    const idle = none ? 'no region names a reference of the dataset' : out.headerOnly ? 'only the header is printed (from the manifest)' : undefined;
    if (idle) return { records: 0, explain: { objects: 0, requests: 0, bytes: 0, ranges: [], notes: [idle] } };
    const explain = await ds.explain(input.store, { ...(out.count ? counting : scan), ...(input.signal ? { signal: input.signal } : {}) });
    if (input.request.limit !== undefined) explain.notes?.push(`--limit ${input.request.limit}: the query stops once it has that many records, so it may read less than this`);
    return { records: 0, explain };
  }
  const names = ds.header.names;
  const limit = input.request.limit ?? Infinity;
  let n = 0;
  if (out.count) {
    if (!none) for await (const s of ds.scan(input.store, input.host, { ...counting, ...(input.signal ? { signal: input.signal } : {}) })) n += s.rows.length;
    n = Math.min(n, limit);
    await input.output.write(`${n}\n`);
    return { records: n };
  }
  let bam: BamWriter | undefined;
  let blocks: BlockMap | undefined;
  let bai: BaiBuilder | undefined;
  let uoffset = 0;
  if (out.format === 'bam') {
    if (index) {
      const [{ BlockMap }, { BaiBuilder }] = await Promise.all([import('../bam/block-map.js'), import('../bam/bai.js')]);
      blocks = new BlockMap(input.output);
      bai = new BaiBuilder(ds.header.refs.length, input.output.name);
      uoffset = bamHeaderLength(ds.header);
    }
    const { Writer } = await import('../bam/writer.js');
    bam = new Writer(blocks ?? input.output, { threads: out.threads ?? 2 });
    await bam.writeHeader(ds.header);
  } else if ((out.header || out.headerOnly) && out.format === 'sam') await input.output.write(ds.header.samText());
  const fields = scan.fields ?? FIELDS;
  const arrow = out.format === 'arrow' ? new (await import('../arrow.js')).ArrowStreamOutput(input.output, fields) : undefined;
  const sam = out.format === 'sam' ? new SamText(names) : undefined;
  if (sam && !out.headerOnly && !none) n = await samRecords(ds, input, scan, sam, limit, mode);
  else if (!out.headerOnly && !none) {
    outer: for await (const s of ds.scan(input.store, input.host, { ...scan, ...(input.signal ? { signal: input.signal } : {}) })) {
      input.signal?.throwIfAborted();
      const contig = s.refId >= 0 ? names[s.refId]! : '*';
      if (arrow) {
        const rows = s.rows.length > limit - n ? s.rows.slice(0, limit - n) : s.rows;
        await arrow.write(s.batch, rows, contig);
        n += rows.length;
        if (n >= limit) break;
        continue;
      }
      const asm = bam ? new RecordAssembler(s.batch, s.refId) : undefined;
      let text = '';
      for (const i of s.rows) {
        if (n >= limit) break;
        if ((n & 4095) === 0) input.signal?.throwIfAborted();
        n++;
        if (asm && bam) {
          const rec = asm.record(i);
          await bam.write(rec);
          if (bai) {
            const next = uoffset + 4 + rec.bytes.length;
            bai.add(rec, uoffset, next);
            uoffset = next;
          }
        } else text += `${jsonRow(s.batch, i, fields, contig)}\n`;
        if (text.length > SAM_FLUSH) {
          await input.output.write(text);
          text = '';
        }
      }
      if (text) await input.output.write(text);
      if (n >= limit) break outer;
    }
  }
  if (arrow) await arrow.end();
  if (bam) await bam.end();
  if (!bai) return { records: n };
  const bytes = bai.finish(blocks!);
  if (typeof index === 'string') {
    const sink = await openSink(input.host, index);
    await sink.write(bytes);
    await sink.end();
  }
  return { records: n, bai: bytes };
}

/** Pool jobs in flight at most: enough to keep every worker busy while pieces are written. */
const IN_FLIGHT = 8;

/**
 * SAM lines of a scan, written about 1 MiB at a time: chunks whose record groups go to the
 * worker pool (sam-workers.ts) come back as pieces written in order; the others are decoded
 * and formatted here. Returns the records written.
 */
async function samRecords(ds: PafDataset, input: RunQueryInput, scan: ScanOptions, sam: SamText, limit: number, mode: WorkerMode): Promise<number> {
  const { output, signal } = input;
  const workers = poolWorkers(input.out.threads);
  const inFlight = Math.max(IN_FLIGHT, 3 * workers);
  const fields = ds.decodeFields(scan);
  // Only for a sink that is done with a chunk when its write resolves, pieces come back in
  // shared slots and this thread's buffer is reused: each is written again after that.
  const reusable = output.chunksReusable === true;
  const flush = async (): Promise<void> => {
    if (!reusable) return output.write(sam.take());
    await output.write(sam.view());
    sam.clear();
  };
  let names: string | undefined;
  const queue: { job: SamJob; piece: Promise<SamPiece> }[] = [];
  let n = 0;
  const drain = async (keep: number): Promise<void> => {
    while (queue.length > keep) {
      const { job, piece } = queue.shift()!;
      let p: SamPiece;
      try {
        p = await piece;
      } catch (e) {
        releaseSlot(workers, job.out, true);
        throw e;
      }
      try {
        n += p.records;
        if (p.inSlot !== undefined) await output.write(slotText(job.out!, p.inSlot));
        else if (p.text.length) await output.write(p.text);
      } finally {
        releaseSlot(workers, job.out);
      }
    }
  };
  try {
    for await (const part of ds.fetched(input.store, input.host, { ...scan, ...(signal ? { signal } : {}) })) {
      if (usePool(part, mode, workers)) {
        if (sam.length) await flush();
        names ??= ds.header.names.join('\t');
        // Every group goes to the pool; this thread fetches, hands out and writes. (Decoding
        // groups here as well held up the handing out and the writing: a 1 Mb region on two
        // vCPUs took 103 ms with this thread and one worker decoding, 90 ms with two workers.)
        for (const job of samJobs(part, fields, scan, names)) {
          signal?.throwIfAborted();
          if (reusable) {
            const out = claimSlot(workers);
            if (out) job.out = out;
          }
          const piece = runSamJob(job, workers, signal);
          piece.catch(() => {}); // awaited in order by drain; a later one may fail first
          queue.push({ job, piece });
          await drain(inFlight);
        }
        continue;
      }
      await drain(0);
      // Group by group, as the workers do: no joined copy of every stream, and a group's
      // decoded pages are garbage before the next is decoded.
      for (const g of part.sel?.groups ?? [undefined]) {
        signal?.throwIfAborted();
        const batch = decodeSamPart(part, input.host, fields, g);
        const rows = filterRows(batch, part.regions, scan);
        // Staged in this thread's buffer only when it is reused (a sink done with chunks).
        if (reusable && rows.length >= STAGE_ROWS) sam.stage(batch, rows[0]!, rows[Math.min(rows.length, limit - n) - 1]!);
        for (const i of rows) {
          if (n >= limit) break;
          n++;
          sam.add(batch, part.refId, i);
          if (sam.length >= SAM_FLUSH) await flush();
        }
        if (n >= limit) break;
      }
      if (n >= limit) break;
    }
    await drain(0);
  } finally {
    // Left by an error or an abort: a slot is free again once its job is over, lost if it failed.
    for (const { job, piece } of queue.splice(0)) piece.then(() => releaseSlot(workers, job.out), () => releaseSlot(workers, job.out, true));
  }
  if (sam.length) await flush();
  return n;
}
