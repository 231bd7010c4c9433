import { describeObjectStore } from '@genolake/testkit';
import { describe, expect, it } from 'vitest';
import { AbortedError, AlreadyExistsError, CorruptDataError, NotFoundError, PreconditionFailedError, TransientError } from '../errors.js';
import { MemoryStore } from './memory.js';
import { mayHaveSucceeded, withRetry, type RetryInfo } from './retry.js';
import type { ObjectInfo, ObjectStore, PutBody, PutOptions } from './types.js';

const enc = new TextEncoder();

/** Fails the next `n` calls of the chosen operations with TransientError (or `error`). */
class FlakyStore extends MemoryStore {
  calls = 0;
  constructor(
    public failures: number,
    private readonly ops: string[] = ['get', 'head', 'put', 'delete'],
    private readonly makeError: () => Error = () => new TransientError('503 slow down'),
  ) {
    super('mem://flaky');
  }
  private maybeFail(op: string): void {
    this.calls++;
    if (this.ops.includes(op) && this.failures > 0) {
      this.failures--;
      throw this.makeError();
    }
  }
  override async get(key: string, o?: Parameters<ObjectStore['get']>[1]) {
    this.maybeFail('get');
    return super.get(key, o);
  }
  override async head(key: string, o?: { signal?: AbortSignal }) {
    this.maybeFail('head');
    return super.head(key, o);
  }
  override async put(key: string, body: PutBody, o?: PutOptions) {
    this.maybeFail('put');
    return super.put(key, body, o);
  }
  override async delete(key: string) {
    this.maybeFail('delete');
    return super.delete(key);
  }
}

const fast = { sleep: async () => {}, random: () => 0.5 };

describeObjectStore('withRetry(MemoryStore)', async () => ({ store: withRetry(new MemoryStore('mem://r'), fast) }));

describe('withRetry', () => {
  it('retries TransientError with exponential backoff and full jitter', async () => {
    const inner = new FlakyStore(0);
    await inner.put('k', enc.encode('v'));
    const infos: RetryInfo[] = [];
    const waits: number[] = [];
    const store = withRetry(inner, {
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
      onRetry: (i) => infos.push(i),
    });
    inner.failures = 3;
    expect(new TextDecoder().decode(await store.get('k'))).toBe('v');
    // 0.5 * min(300, 100 * 2^n) for n = 0, 1, 2
    expect(waits).toEqual([50, 100, 150]);
    expect(infos.map((i) => [i.op, i.key, i.attempt])).toEqual([
      ['get', 'k', 1],
      ['get', 'k', 2],
      ['get', 'k', 3],
    ]);
    expect(infos[0]!.error).toBeInstanceOf(TransientError);
  });

  it('gives up after `retries` retries with the last TransientError', async () => {
    const inner = new FlakyStore(100, ['head']);
    const store = withRetry(inner, { ...fast, retries: 2 });
    await expect(store.head('k')).rejects.toBeInstanceOf(TransientError);
    expect(inner.calls).toBe(3);
  });

  it.each([
    ['NotFound', () => new NotFoundError('x')],
    ['AlreadyExists', () => new AlreadyExistsError('x')],
    ['PreconditionFailed', () => new PreconditionFailedError('x')],
    ['Corrupt', () => new CorruptDataError('x')],
    ['plain Error', () => new Error('bug')],
  ])('never retries %s', async (_name, make) => {
    const inner = new FlakyStore(1, ['get'], make);
    const store = withRetry(inner, fast);
    await expect(store.get('k')).rejects.toBeInstanceOf(make().constructor);
    expect(inner.calls).toBe(1);
  });

  it('gives a streaming body exactly one attempt', async () => {
    const inner = new FlakyStore(1, ['put']);
    const store = withRetry(inner, fast);
    async function* body() {
      yield enc.encode('x');
    }
    await expect(store.put('s', body())).rejects.toBeInstanceOf(TransientError);
    expect(inner.calls).toBe(1);
    inner.failures = 1;
    await store.put('b', enc.encode('x'));
    expect(inner.calls).toBe(3);
  });

  it('flags a create whose earlier attempt failed in transit as possibly ours', async () => {
    // The first attempt "succeeds on the server" but the response is lost.
    const inner = new MemoryStore('mem://lost');
    let first = true;
    const lossy: ObjectStore = Object.assign(Object.create(inner) as MemoryStore, {
      async put(key: string, body: PutBody, o?: PutOptions): Promise<ObjectInfo> {
        const info = await inner.put(key, body, o);
        if (first) {
          first = false;
          throw new TransientError('connection reset after upload');
        }
        return info;
      },
    });
    const store = withRetry(lossy, fast);
    const err = await store.put('m', enc.encode('manifest'), { ifNoneMatch: '*' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyExistsError);
    expect(mayHaveSucceeded(err)).toBe(true);
    // The caller's check: the stored bytes are ours.
    expect(new TextDecoder().decode(await store.get('m'))).toBe('manifest');
    // A plain lost race is not flagged.
    const err2 = await store.put('m', enc.encode('other'), { ifNoneMatch: '*' }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(AlreadyExistsError);
    expect(mayHaveSucceeded(err2)).toBe(false);
  });

  it('aborts while waiting between attempts', async () => {
    const inner = new FlakyStore(100, ['get']);
    const store = withRetry(inner, { baseDelayMs: 10_000, random: () => 1 });
    const ac = new AbortController();
    const p = store.get('k', { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const t0 = Date.now();
    await expect(p).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(inner.calls).toBe(1);
  });

  it('resumes a listing after the last key yielded', async () => {
    const inner = new MemoryStore('mem://l');
    for (const k of ['a', 'b', 'c', 'd']) await inner.put(k, enc.encode(k));
    let failAfter = 2;
    const flaky: ObjectStore = Object.assign(Object.create(inner) as MemoryStore, {
      async *list(prefix: string) {
        let n = 0;
        for await (const o of inner.list(prefix)) {
          if (failAfter > 0 && n === failAfter) {
            failAfter = 0;
            throw new TransientError('connection reset during list');
          }
          n++;
          yield o;
        }
      },
    });
    const seen: string[] = [];
    for await (const o of withRetry(flaky, fast).list('')) seen.push(o.key);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
  });
});
