/**
 * A pool of worker threads for CPU-heavy work (codecs, parsing). Generic: a task is "call
 * export `exportName` of module `moduleUrl` with `args`", so plugins run their own code in
 * it. Node-only; exported from '@genolake/core/node'.
 *
 * The worker body is a small plain-JavaScript string run with `eval: true`, so the pool
 * needs no separate entry file to locate or copy at build time. Worker threads run plain
 * Node, which cannot import TypeScript: task modules must be JavaScript (the built dist/,
 * or a .mjs file). Tests that run from sources pass `preload` with a module that registers
 * a TypeScript loader hook inside each worker (see worker-pool.test-hooks.mjs).
 *
 * Idle workers are unref'd, so an idle pool never keeps the process alive; a worker with a
 * task is ref'd so the process waits for the result.
 *
 * `depth` > 1 sends a busy worker its next task before the current one ends, so it starts
 * that task without waiting for the calling thread to take its reply and send another (that
 * thread may be busy with synchronous work, such as writing output). A new worker is started
 * before a busy one is given more.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import {
  AbortedError, AlreadyExistsError, ConflictError, CorruptDataError, InputError, InvalidArgumentError,
  NotFoundError, TransientError, UnsupportedError, type GenolakeError, type GenolakeErrorOptions,
} from '../errors.js';

export interface WorkerPoolOptions {
  /** Number of threads; default `os.availableParallelism()`. */
  size?: number;
  /** Module URLs each worker imports before its first task (e.g. a loader-hook registration). */
  preload?: string[];
  /** Tasks sent to one worker at a time, the one running included; default 1. */
  depth?: number;
}

/** Marker a task returns to have its result's buffers moved, not copied, to the caller. */
export interface TransferResult<T> {
  __workerPoolTransfer: [value: T, transfer: TransferListItem[]];
}

/** Wraps a task result so `transfer` (usually `[bytes.buffer]`) moves instead of being cloned. */
export function withTransfer<T>(value: T, transfer: TransferListItem[]): TransferResult<T> {
  return { __workerPoolTransfer: [value, transfer] };
}

// Only dynamic import() inside an async function: the eval'd body must work both as a
// CommonJS script and as an ES module (workers inherit flags such as --input-type=module).
const WORKER_SOURCE = `
(async () => {
const { parentPort, workerData } = await import('node:worker_threads');
const modules = new Map();
const ready = (async () => { for (const u of workerData.preload) await import(u); })();
parentPort.on('message', async (task) => {
  try {
    await ready;
    let mod = modules.get(task.moduleUrl);
    if (!mod) { mod = import(task.moduleUrl); modules.set(task.moduleUrl, mod); }
    const fn = (await mod)[task.exportName];
    if (typeof fn !== 'function') throw new TypeError('module has no exported function "' + task.exportName + '"');
    let value = await fn(...task.args);
    let transfer = [];
    if (value && typeof value === 'object' && Array.isArray(value.__workerPoolTransfer)) {
      [value, transfer] = value.__workerPoolTransfer;
    }
    parentPort.postMessage({ id: task.id, ok: true, value }, transfer);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort.postMessage({ id: task.id, ok: false, name: err.name, code: typeof err.code === 'string' ? err.code : undefined,
      message: err.message, stack: err.stack });
  }
});
})();
`;

type ErrorClass = new (message: string, options?: GenolakeErrorOptions) => GenolakeError;
/** Genolake errors are rebuilt by code on this side, so callers can still branch on the class. */
const ERRORS_BY_CODE: Record<string, ErrorClass> = {
  CORRUPT: CorruptDataError,
  INVALID_ARGUMENT: InvalidArgumentError,
  BAD_INPUT: InputError,
  NOT_FOUND: NotFoundError,
  UNSUPPORTED: UnsupportedError,
  TRANSIENT: TransientError,
  ALREADY_EXISTS: AlreadyExistsError,
  CONFLICT: ConflictError,
};

interface Task {
  id: number;
  moduleUrl: string;
  exportName: string;
  args: unknown[];
  transfer: TransferListItem[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** Rejected while sent to a worker and not yet started. */
  aborted?: boolean;
}

interface Slot {
  worker: Worker;
  /** Tasks sent to this worker and not answered, in the order sent (it runs them in turn). */
  tasks: Task[];
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  name?: string;
  code?: string;
  message?: string;
  stack?: string;
}

function toModuleUrl(s: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s) ? s : pathToFileURL(s).href;
}

export class WorkerPool {
  readonly size: number;
  readonly depth: number;
  private readonly preload: string[];
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: WorkerPoolOptions = {}) {
    const size = opts.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`worker pool size must be a positive integer, got ${size}`);
    this.size = size;
    const depth = opts.depth ?? 1;
    if (!Number.isInteger(depth) || depth < 1) throw new InvalidArgumentError(`worker pool depth must be a positive integer, got ${depth}`);
    this.depth = depth;
    this.preload = (opts.preload ?? []).map(toModuleUrl);
  }

  /** Workers started so far (they start on demand, up to `size`). */
  get started(): number {
    return this.slots.length;
  }

  /**
   * Runs `exportName(...args)` from `moduleUrl` (a URL or absolute path of a JavaScript
   * module) in a worker, queueing while all workers are busy. `transfer` lists buffers in
   * `args` to move rather than copy. Aborting a queued task drops it; aborting a running one
   * stops its worker (synchronous work cannot be interrupted otherwise).
   */
  run<T>(moduleUrl: string, exportName: string, args: unknown[], transfer: TransferListItem[] = [], options: { signal?: AbortSignal } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new InvalidArgumentError(`worker pool is closed (task ${exportName} from ${moduleUrl})`));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortedError(`worker task ${exportName} from ${moduleUrl} aborted`, { cause: signal.reason }));
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        id: this.nextId++, moduleUrl: toModuleUrl(moduleUrl), exportName, args, transfer,
        resolve: resolve as (v: unknown) => void, reject, signal,
      };
      if (signal) {
        task.onAbort = () => this.abort(task);
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.pump();
    });
  }

  /** Terminates every worker; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const err = () => new AbortedError('worker pool closed');
    for (const t of this.queue.splice(0)) this.settle(t, err());
    const slots = this.slots.splice(0);
    for (const s of slots) for (const t of s.tasks.splice(0)) this.settle(t, err());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** An idle worker, else a new one, else the least busy worker below `depth`. */
  private freeSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (s.tasks.length === 0) return s;
      if (s.tasks.length < this.depth && (!best || s.tasks.length < best.tasks.length)) best = s;
    }
    return this.slots.length < this.size ? this.spawn() : best;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.tasks.push(task);
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id: task.id, moduleUrl: task.moduleUrl, exportName: task.exportName, args: task.args }, task.transfer);
      } catch (e) {
        // Arguments that cannot be cloned: fail this task, keep the worker.
        slot.tasks.pop();
        if (slot.tasks.length === 0) slot.worker.unref();
        this.settle(task, new InvalidArgumentError(`cannot send arguments of ${task.exportName} from ${task.moduleUrl} to a worker: ${(e as Error).message}`, { cause: e }));
      }
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { preload: this.preload } });
    const slot: Slot = { worker, tasks: [] };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const k = slot.tasks.findIndex((t) => t.id === reply.id);
      if (k < 0) return;
      const [task] = slot.tasks.splice(k, 1) as [Task];
      if (slot.tasks.length === 0) worker.unref();
      if (task.aborted) {
        // Aborted while waiting in this worker: already rejected, its result is dropped.
      } else if (reply.ok) this.settle(task, undefined, reply.value);
      else this.settle(task, this.remoteError(task, reply));
      this.pump();
    });
    // A crash (uncaught error, out of memory, process.exit in a task) loses the worker:
    // fail the task it was running, queue again the ones it had not started, and let the
    // next task start a fresh worker.
    const lost = (why: string, cause?: unknown) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      const [task, ...waiting] = slot.tasks.splice(0);
      if (task && !task.aborted) this.settle(task, new Error(`worker running ${task.exportName} from ${task.moduleUrl} ${why}`, { cause }));
      this.requeue(waiting, why);
      this.pump();
    };
    worker.on('error', (e) => lost(`crashed: ${e.message}`, e));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private remoteError(task: Task, reply: Reply): Error {
    const where = `in worker running ${task.exportName} from ${task.moduleUrl}`;
    const Cls = reply.code ? ERRORS_BY_CODE[reply.code] : undefined;
    // A genolake error's message is written for the user (it names the file, record or
    // object): it stays as it is, whichever thread found the problem; the cause says where.
    const remote = new Error(Cls ? `${reply.message ?? 'unknown error'} (${where})` : reply.message ?? 'unknown error');
    remote.name = reply.name ?? 'Error';
    if (reply.stack) remote.stack = reply.stack;
    if (Cls) return new Cls(reply.message ?? 'unknown error', { cause: remote });
    return new Error(`${reply.name ?? 'Error'}: ${reply.message} (${where})`, { cause: remote });
  }

  private abort(task: Task): void {
    const err = new AbortedError(`worker task ${task.exportName} from ${task.moduleUrl} aborted`, { cause: task.signal?.reason });
    const q = this.queue.indexOf(task);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.settle(task, err);
      return;
    }
    const slot = this.slots.find((s) => s.tasks.includes(task));
    if (!slot) return;
    if (slot.tasks[0] !== task) {
      // Sent but not started: the worker will run it, and its reply is dropped.
      task.aborted = true;
      this.settle(task, err);
      return;
    }
    // Running: synchronous work cannot be interrupted, so the worker goes; the tasks sent
    // after this one run elsewhere.
    this.slots.splice(this.slots.indexOf(slot), 1);
    const [, ...waiting] = slot.tasks.splice(0);
    this.settle(task, err);
    void slot.worker.terminate();
    this.requeue(waiting, 'was stopped to abort the task it was running');
    this.pump();
  }

  /**
   * Tasks a lost worker had not started go back to the front of the queue, in order; those
   * whose buffers were moved to it cannot be sent again and fail.
   */
  private requeue(tasks: Task[], why: string): void {
    const again: Task[] = [];
    for (const t of tasks) {
      if (t.aborted) continue;
      if (t.transfer.length) this.settle(t, new Error(`task ${t.exportName} from ${t.moduleUrl} was waiting in a worker that ${why}; the buffers moved to it are gone`));
      else again.push(t);
    }
    this.queue.unshift(...again);
  }

  private settle(task: Task, error: unknown, value?: unknown): void {
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    if (error !== undefined) task.reject(error);
    else task.resolve(value);
  }
}

let shared: WorkerPool | undefined;

/** The process-wide pool, created on first use. Idle, it does not keep the process alive. */
export function getSharedPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}
