/**
 * Chunk encoding off the main thread. `bam-to-paf` builds a chunk's columns while earlier
 * chunks are compressed in core's WorkerPool: the worker imports this module (compiled, from
 * dist/) and runs `encodeChunkTask`, with its own host holding the built-in and paf codecs.
 * From TypeScript sources (tests), where a worker cannot import this file, `ChunkEncoder`
 * encodes in the calling thread instead; the bytes are the same either way.
 */
import { createHost, encodeChunk, type ChunkGroupInput, type ColumnBatch, type EncodedChunk, type Host } from '@genolake/core';
import { getSharedPool, withTransfer, type TransferResult } from '@genolake/core/node';
import { ensureCodecs } from '../codecs/index.js';
import { schemaFor, type Qualities } from './schema.js';

const TASK = import.meta.url;
const IN_WORKER_OK = TASK.endsWith('.js');

export interface ChunkJob {
  columns: ColumnBatch['columns'];
  length: number;
  groups: ChunkGroupInput[];
  keyRange: { min: unknown[]; max: unknown[] };
  /** The quality pipeline chosen (schema.ts): a schema holds functions, which do not clone. */
  qualities: Qualities;
}

let workerHost: Promise<Host> | undefined;

function encodeWith(host: Host, job: ChunkJob): EncodedChunk {
  const schema = schemaFor(job.qualities);
  return encodeChunk({
    schema, batch: { schema, length: job.length, columns: job.columns }, registry: host,
    groups: job.groups, keyRange: job.keyRange,
  });
}

/** An encoded chunk, and the job's column buffers, free for the next chunks' columns. */
export interface EncodedJob extends EncodedChunk {
  spare: ArrayBuffer[];
}

/** The worker-side entry: encodes one chunk and moves its bytes, and the column buffers, back. */
export async function encodeChunkTask(job: ChunkJob): Promise<TransferResult<EncodedJob>> {
  workerHost ??= createHost().then((h) => (ensureCodecs(h), h));
  const enc = encodeWith(await workerHost, job);
  const spare = buffers(job.columns);
  return withTransfer({ ...enc, spare }, [enc.bytes.buffer as ArrayBuffer, ...spare]);
}

/** Buffers of a job's columns, to move (not copy) them to a worker. */
function buffers(columns: ColumnBatch['columns']): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const walk = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(columns);
  return [...out];
}

/** Encodes chunks in the worker pool when running compiled, else in this thread. */
export class ChunkEncoder {
  private readonly pool = IN_WORKER_OK ? getSharedPool() : undefined;
  constructor(private readonly host: Host) {}

  /** How many chunks may be in flight at once. */
  get parallel(): number {
    return this.pool ? Math.max(1, this.pool.size) : 1;
  }

  encode(job: ChunkJob, signal?: AbortSignal): Promise<EncodedJob> {
    if (!this.pool) return Promise.resolve({ ...encodeWith(this.host, job), spare: buffers(job.columns) });
    return this.pool.run<EncodedJob>(TASK, 'encodeChunkTask', [job], buffers(job.columns), signal ? { signal } : {});
  }
}
