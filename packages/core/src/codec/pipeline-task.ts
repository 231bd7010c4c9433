/**
 * Worker-side entry points for running built-in codec pipelines in a WorkerPool. A worker
 * has no Host, so it builds its own registry of the built-in codecs. Results are moved,
 * not copied, back to the caller.
 */
import { withTransfer, type TransferResult } from '../util/worker-pool.js';
import { builtinCodecRegistry } from './builtin/index.js';
import { decodePipeline, encodePipeline } from './pipeline.js';
import type { ElementType } from './types.js';

const registry = builtinCodecRegistry();

/** Detaches-safe result: a fresh buffer owned by nobody else in this worker. */
function owned(bytes: Uint8Array, input: Uint8Array): TransferResult<Uint8Array> {
  // Identity stages return their input; never hand back a view of a shared/pooled buffer.
  const exclusive = bytes !== input && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const out = exclusive ? bytes : bytes.slice();
  return withTransfer(out, [out.buffer as ArrayBuffer]);
}

export function encodePipelineTask(pipeline: string, data: Uint8Array, type: ElementType): TransferResult<Uint8Array> {
  return owned(encodePipeline(registry, pipeline, data, type), data);
}

export function decodePipelineTask(pipeline: string, data: Uint8Array, type: ElementType): TransferResult<Uint8Array> {
  return owned(decodePipeline(registry, pipeline, data, type), data);
}
