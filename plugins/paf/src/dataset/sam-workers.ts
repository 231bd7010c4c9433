/**
 * A region query's SAM text made in worker threads. Each job takes one record group of one
 * chunk (its pages, copied into one transferable buffer), decodes it, keeps the rows in the
 * regions that pass the filters, formats them (sam-text.ts) and hands the text back. The
 * calling thread fetches, hands out the jobs and writes the pieces in order; it decodes
 * nothing itself, so it is always free to do those. With a sink done with each chunk when its
 * write resolves (the process's stdout, an object or file, `chunksReusable`), a job's text is
 * written into a slot of memory shared with the workers instead of coming back in a new
 * buffer (`TextSlot` below: 15-20% of a region query on two vCPUs).
 *
 * The jobs run in a pool of their own, a worker per thread asked for (default one per CPU),
 * that sends each worker its next job before the current one ends (core's WorkerPool
 * `depth`), so a worker never waits for the calling thread between jobs. Measured on the
 * 2-vCPU bench machine, 1 Mb region: one thread 130 ms; the calling thread decoding too, with
 * core's shared pool of two workers (three threads on two vCPUs: groups took 2x as long
 * whenever all three ran) 126 ms, with one worker 103 ms; two workers and a calling thread
 * that only hands out and writes 90 ms.
 *
 * A cold pool does not pay for itself within one short query (worker start-up and JIT
 * warm-up in each worker; from the CLI a 1 Mb region took 593 ms with -@ 2 against 379 ms
 * with -@ 1, a whole chromosome 1.15 s against 1.08 s). Hence the modes: `'auto'` (the default)
 * uses the pool only when it is already running (a long-lived process that has queried with
 * `'always'`), `'always'` starts it (paf-query -@ 2+), `'never'` keeps everything in the
 * calling thread (-@ 1). Compiled code only: worker threads cannot import the TypeScript
 * sources.
 */
import {
  createHost, pagePartName, schemaFromJSON, schemaToJSON, streamNamesFor,
  type ChunkHeader, type Host, type RecordSchema, type RecordSchemaJSON, type Region,
} from '@genolake/core';
import { availableParallelism } from 'node:os';
import { WorkerPool, withTransfer, type TransferResult } from '@genolake/core/node';
import { ensureCodecs } from '../codecs/index.js';
import { MATES_RELATIVE, restoreMates } from './mates.js';
import { filterRows, type FetchedPart, type RecordFilter } from './reader.js';
import { decodeSamPages } from './sam-decode.js';
import { SamText } from './sam-text.js';

const TASK = import.meta.url;
export const WORKERS_OK = TASK.endsWith('.js');
export type WorkerMode = 'auto' | 'always' | 'never';

/** One record group to turn into SAM text. */
export interface SamJob {
  /** Object key, for error messages. */
  key: string;
  /** The record group, by its index in the chunk (messages name it). */
  group: number;
  /**
   * The chunk header with only this job's group (a sparse array), its schema as JSON text (a
   * schema holds functions, which do not clone; text compares and clones cheaply).
   */
  header: Omit<ChunkHeader, 'schema'>;
  schema: string;
  /** The group's pages back to back, and where each is: [part name, offset, length]. */
  bytes: Uint8Array;
  parts: [part: string, offset: number, length: number][];
  fields: string[];
  refId: number;
  /** Mate fields stored relative to pos (mates.ts). */
  mates: boolean;
  regions: Region[] | undefined;
  filter: RecordFilter;
  /** The header's reference names, joined by tabs (a name never holds one). */
  names: string;
  /** Where to write the text: a slot of shared memory (`claimSlot`); else it comes back in a buffer of its own. */
  out?: TextSlot;
}

export interface SamPiece {
  /** The text, when it is not in the job's slot. */
  text: Uint8Array;
  /** Bytes of text written in the job's slot. */
  inSlot?: number;
  records: number;
}

/**
 * Text slots in memory shared with the workers. A piece of text handed back in a buffer of
 * its own (transferred) is new memory to the calling thread: V8 counts every such buffer as
 * external memory, and ~1 MiB a record group (33 MiB a 1 Mb region) made the calling thread
 * run a full GC every query or two, whose background marking and sweeping threads took CPU
 * from the workers on a small machine. A SharedArrayBuffer counts for nothing there and is
 * reused: 1 Mb regions 67-69 -> 57-58 ms, 100 kb 8.6 -> 7.7 ms (two workers, two vCPUs).
 * Used only with a sink that is done with a chunk when its write resolves
 * (`ByteSink.chunksReusable`), as a slot is written again after that.
 */
export interface TextSlot {
  sab: SharedArrayBuffer;
  slot: number;
}

/** A slot's capacity: a record group's text of short reads (~1 MiB); longer text comes back in a buffer of its own. */
const SLOT_BYTES = 2 << 20;

interface Ring {
  sab: SharedArrayBuffer;
  /** Free slots, most recently freed last (reused first: fewer pages touched). */
  free: number[];
  /** Slots lost to failed or aborted jobs (a worker may still write them). */
  lost: number;
}

const rings = new Map<number, Ring>();

/** A free slot of the `workers`-thread pool's ring, or undefined when all are in use. */
export function claimSlot(workers: number): TextSlot | undefined {
  let ring = rings.get(workers);
  const slots = 4 * workers + 8;
  // Slots given up to failed jobs are never reused; when half are gone, a fresh ring.
  if (!ring || (ring.free.length === 0 && ring.lost >= slots / 2)) {
    ring = { sab: new SharedArrayBuffer(slots * SLOT_BYTES), free: Array.from({ length: slots }, (_, i) => slots - 1 - i), lost: 0 };
    rings.set(workers, ring);
  }
  const slot = ring.free.pop();
  return slot === undefined ? undefined : { sab: ring.sab, slot };
}

/** Gives a slot back once its text is written out (`lost`: its job failed, and a worker may still write it). */
export function releaseSlot(workers: number, out: TextSlot | undefined, lost = false): void {
  const ring = rings.get(workers);
  if (!out || ring?.sab !== out.sab) return; // a replaced ring's slots go with it
  if (lost) ring.lost++;
  else ring.free.push(out.slot);
}

/** The text of a piece written in its job's slot. */
export function slotText(out: TextSlot, length: number): Uint8Array {
  return new Uint8Array(out.sab, out.slot * SLOT_BYTES, length);
}

let workerHost: Promise<Host> | undefined;
let schemaOf: { json: string; schema: RecordSchema } | undefined;

/** The worker side: one job's SAM lines. */
export async function samTextTask(job: SamJob): Promise<TransferResult<SamPiece>> {
  workerHost ??= createHost().then((h) => (ensureCodecs(h), h));
  const piece = samPiece(job, await workerHost);
  return withTransfer(piece, piece.inSlot === undefined ? [piece.text.buffer as ArrayBuffer] : []);
}

/** The worker side of `warmPool`: imports this module and builds the host, nothing more. */
export async function warmTask(): Promise<void> {
  workerHost ??= createHost().then((h) => (ensureCodecs(h), h));
  await workerHost;
}

/**
 * Starts a pool of `workers` threads and has each import the decoders while the calling
 * thread opens the dataset and fetches the first pages (a cold worker took ~0.2 s before its
 * first job); no-op once the pool runs.
 */
export function warmPool(workers: number): void {
  if (!WORKERS_OK || workers < 1 || (pools.get(workers)?.started ?? 0) > 0) return;
  const p = pool(workers);
  // Failing workers show themselves on the first real job.
  for (let i = 0; i < workers; i++) void p.run(TASK, 'warmTask', []).catch(() => undefined);
}

let text: { joined: string; sam: SamText } | undefined;
const NO_TEXT = new Uint8Array(0);
/** Rows from which a job stages their bytes before printing them (fewer: the copy is not worth it). */
export const STAGE_ROWS = 64;

/** One job's SAM lines (in a worker). */
export function samPiece(job: SamJob, host: Host): SamPiece {
  const pages = new Map(job.parts.map(([part, at, length]) => [part, job.bytes.subarray(at, at + length)]));
  // Consecutive jobs of a chunk share one schema object; a new one is parsed when it changes.
  if (schemaOf?.json !== job.schema) schemaOf = { json: job.schema, schema: schemaFromJSON(JSON.parse(job.schema) as RecordSchemaJSON) };
  const header: ChunkHeader = { ...job.header, schema: schemaOf.schema };
  const batch = decodeSamPages(header, pages, host, job.key, job.fields, job.group);
  if (job.mates) restoreMates(batch, job.refId);
  const rows = filterRows(batch, job.regions, job.filter);
  // One text buffer per thread, grown once: a fresh 1 MiB buffer a job cost more than its zeroing.
  if (text?.joined !== job.names) text = { joined: job.names, sam: new SamText(job.names === '' ? [] : job.names.split('\t')) };
  const sam = text.sam;
  const slot = job.out && Buffer.from(job.out.sab, job.out.slot * SLOT_BYTES, SLOT_BYTES);
  if (slot) {
    sam.writeInto(slot);
    // The slot is reused memory: staging the rows' bytes in it pays (sam-text.ts).
    if (rows.length >= STAGE_ROWS) sam.stage(batch, rows[0]!, rows[rows.length - 1]!);
  } else sam.clear();
  try {
    for (const i of rows) sam.add(batch, job.refId, i);
  } catch (e) {
    // Nothing of a failed job is left for the next, and its slot is not written again.
    sam.writeInto(undefined);
    throw e;
  }
  if (slot && sam.isIn(slot)) {
    const inSlot = sam.length;
    sam.writeInto(undefined); // nothing more goes into the slot once it is handed back
    return { text: NO_TEXT, inSlot, records: rows.length };
  }
  return { text: sam.take(), records: rows.length };
}

/** Workers a query keeps busy: `threads` (paf-query -@), by default one per CPU. */
export function poolWorkers(threads?: number): number {
  return threads ?? availableParallelism();
}

/**
 * The query jobs' pools, one per size asked for, created on first use (a query asking another
 * size never closes a pool another query may be using; idle workers keep no process alive);
 * two jobs sent to a worker at a time.
 */
const pools = new Map<number, WorkerPool>();

function pool(workers: number): WorkerPool {
  let p = pools.get(workers);
  if (!p) pools.set(workers, (p = new WorkerPool({ size: workers, depth: 2 })));
  return p;
}

/** Whether this fetched chunk goes to the pool. */
export function usePool(part: FetchedPart, mode: WorkerMode, workers: number): boolean {
  const groups = part.sel?.groups.length ?? 0;
  if (mode === 'never' || !WORKERS_OK || groups < 2 || workers < 1) return false;
  return mode === 'always' || (pools.get(workers)?.started ?? 0) > 0;
}

/** A fetched chunk's jobs, one per selected group; `names`: the header's reference names joined by tabs. */
export function samJobs(part: FetchedPart, fields: string[], scan: RecordFilter, names: string): SamJob[] {
  const { got, sel } = part;
  const header = sel!.header;
  const streams = streamNamesFor(header.schema, fields);
  const { schema, ...rest } = header;
  const json = JSON.stringify(schemaToJSON(schema));
  const mates = got.chunk.extra?.mates === MATES_RELATIVE;
  // Only the filter's own fields: the scan options also hold a signal, which does not clone.
  const filter: RecordFilter = {
    ...(scan.requireFlags ? { requireFlags: scan.requireFlags } : {}), ...(scan.excludeFlags ? { excludeFlags: scan.excludeFlags } : {}),
    ...(scan.minMapq ? { minMapq: scan.minMapq } : {}),
  };
  return sel!.groups.map((g) => {
    const pages = streams.map((s) => got.streams.get(pagePartName(s, g))!);
    const bytes = new Uint8Array(pages.reduce((n, p) => n + (p?.length ?? 0), 0));
    const parts: SamJob['parts'] = [];
    let at = 0;
    streams.forEach((s, i) => {
      const p = pages[i];
      if (!p) return; // decodeChunkPages names the missing page
      bytes.set(p, at);
      parts.push([pagePartName(s, g), at, p.length]);
      at += p.length;
    });
    const groups: ChunkHeader['groups'] = [];
    groups[g] = header.groups[g]!;
    return { key: got.chunk.key, group: g, header: { ...rest, stats: {}, groups }, schema: json, bytes, parts, fields, refId: part.refId, mates, regions: part.regions, filter, names };
  });
}

/** Runs jobs in a pool of `workers` threads; the promises settle in any order, the caller writes them in order. */
export function runSamJob(job: SamJob, workers: number, signal?: AbortSignal): Promise<SamPiece> {
  return pool(workers).run<SamPiece>(TASK, 'samTextTask', [job], [job.bytes.buffer as ArrayBuffer], signal ? { signal } : {});
}
