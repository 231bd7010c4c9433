/**
 * Runs built-in codec pipelines on a WorkerPool, so chunk encoding and decoding use every
 * core. Only built-in codecs are available in the worker (it has no Host); a plugin with
 * its own codecs runs them through `pool.run` with its own task module.
 * The task module is the compiled pipeline-task.js beside this file, so this works from the
 * built dist/ (see worker-pool.ts for how tests run it from sources).
 */
import type { WorkerPool } from '../util/worker-pool.js';
import type { ElementType } from './types.js';

const TASKS = new URL('./pipeline-task.js', import.meta.url).href;

export interface PoolPipelineOptions {
  /** Move `data`'s buffer to the worker instead of copying it (the caller's view is detached). */
  transfer?: boolean;
  signal?: AbortSignal;
}

function send(data: Uint8Array, transfer: boolean | undefined): { bytes: Uint8Array; list: ArrayBuffer[] } {
  // Cloning a view clones its whole backing buffer; a partial view is cut out first and the
  // copy moved, so exactly data.length bytes cross the thread boundary.
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  if (whole && !transfer) return { bytes: data, list: [] };
  const bytes = whole ? data : data.slice();
  return { bytes, list: [bytes.buffer as ArrayBuffer] };
}

export function encodePipelineInPool(pool: WorkerPool, pipeline: string, data: Uint8Array, type: ElementType, options: PoolPipelineOptions = {}): Promise<Uint8Array> {
  const { bytes, list } = send(data, options.transfer);
  return pool.run<Uint8Array>(TASKS, 'encodePipelineTask', [pipeline, bytes, type], list, { signal: options.signal });
}

export function decodePipelineInPool(pool: WorkerPool, pipeline: string, data: Uint8Array, type: ElementType, options: PoolPipelineOptions = {}): Promise<Uint8Array> {
  const { bytes, list } = send(data, options.transfer);
  return pool.run<Uint8Array>(TASKS, 'decodePipelineTask', [pipeline, bytes, type], list, { signal: options.signal });
}
