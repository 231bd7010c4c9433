import { AbortedError, TransientError, throwIfAborted } from '../errors.js';
import type { DeleteOptions, GetOptions, ListOptions, ObjectInfo, ObjectStore, PutBody, PutOptions } from './types.js';

export interface RetryInfo {
  op: 'get' | 'head' | 'put' | 'list' | 'delete';
  key: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 5). */
  retries?: number;
  /** Backoff base: the n-th retry waits up to baseDelayMs * 2^(n-1) (default 100). */
  baseDelayMs?: number;
  /** Cap on one wait (default 10 s). */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1) (tests pass a fixed one). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: RetryInfo) => void;
}

// Errors from a conditional put whose earlier attempt failed in transit and so may in fact
// have been applied: see `mayHaveSucceeded`.
const ambiguous = new WeakSet<object>();

/**
 * True when `e` came from a conditional put (ifNoneMatch '*' or ifMatch) that was retried
 * after a TransientError: the earlier attempt may have reached the server and succeeded, so
 * the AlreadyExists / PreconditionFailed may be caused by our own write. Callers must then
 * read the object back and compare it with what they wrote (the dataset layer compares the
 * manifest bytes) before treating it as a lost race.
 */
export function mayHaveSucceeded(e: unknown): boolean {
  return typeof e === 'object' && e !== null && ambiguous.has(e);
}

/**
 * Retries TransientError with exponential backoff and full jitter (wait = random() *
 * min(maxDelay, base * 2^n)); every other error (NotFound, AlreadyExists,
 * PreconditionFailed, Corrupt, ...) is final. Waits end early when the signal aborts.
 *
 * Streaming put bodies (AsyncIterables) cannot be replayed, so they get one attempt only;
 * buffering them would break the bounded-memory rule. Callers that want retries for large
 * objects put bounded Uint8Array parts (chunks are bounded anyway). Listings resume after the
 * last key already yielded, since list order is lexicographic.
 */
export function withRetry(store: ObjectStore, options: RetryOptions = {}): ObjectStore {
  return new RetryStore(store, options);
}

class RetryStore implements ObjectStore {
  readonly url: string;
  readonly capabilities;
  private readonly retries: number;
  private readonly base: number;
  private readonly max: number;
  private readonly random: () => number;

  constructor(
    private readonly inner: ObjectStore,
    private readonly options: RetryOptions,
  ) {
    this.url = inner.url;
    this.capabilities = inner.capabilities;
    this.retries = options.retries ?? 5;
    this.base = options.baseDelayMs ?? 100;
    this.max = options.maxDelayMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  get(key: string, options?: GetOptions): Promise<Uint8Array> {
    return this.run('get', key, options?.signal, () => this.inner.get(key, options));
  }

  head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    return this.run('head', key, options?.signal, () => this.inner.head(key, options));
  }

  async put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    if (!(body instanceof Uint8Array)) return this.inner.put(key, body, options);
    const conditional = options?.ifNoneMatch !== undefined || options?.ifMatch !== undefined;
    let failedInTransit = false;
    return this.run('put', key, options?.signal, async (attempt) => {
      if (attempt > 0) failedInTransit = true;
      try {
        return await this.inner.put(key, body, options);
      } catch (e) {
        if (conditional && failedInTransit && typeof e === 'object' && e !== null && !(e instanceof TransientError)) ambiguous.add(e);
        throw e;
      }
    });
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    let last: string | undefined;
    let attempt = 0;
    for (;;) {
      try {
        for await (const o of this.inner.list(prefix, options)) {
          if (last !== undefined && o.key <= last) continue; // already yielded before the failure
          last = o.key;
          attempt = 0; // progress: the budget is per stall, not per listing
          yield o;
        }
        return;
      } catch (e) {
        if (!(e instanceof TransientError) || attempt >= this.retries) throw e;
        attempt++;
        await this.wait('list', prefix, attempt, e, options?.signal);
      }
    }
  }

  delete(key: string, options?: DeleteOptions): Promise<void> {
    return this.run('delete', key, options?.signal, () => this.inner.delete(key, options));
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  private async run<T>(op: RetryInfo['op'], key: string, signal: AbortSignal | undefined, fn: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (e) {
        if (!(e instanceof TransientError) || attempt >= this.retries) throw e;
        await this.wait(op, key, attempt + 1, e, signal);
      }
    }
  }

  private async wait(op: RetryInfo['op'], key: string, attempt: number, error: unknown, signal?: AbortSignal): Promise<void> {
    const delayMs = Math.floor(this.random() * Math.min(this.max, this.base * 2 ** (attempt - 1)));
    this.options.onRetry?.({ op, key, attempt, delayMs, error });
    throwIfAborted(signal, `${op} ${this.url}/${key}`);
    if (this.options.sleep) await this.options.sleep(delayMs);
    else await sleep(delayMs, signal, `${op} ${this.url}/${key}`);
    throwIfAborted(signal, `${op} ${this.url}/${key}`);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError(`${what} aborted while waiting to retry`, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
