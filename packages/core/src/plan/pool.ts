import { InvalidArgumentError, throwIfAborted } from '../errors.js';

/** Checks a pool size: a positive integer. */
export function checkConcurrency(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what}: concurrency must be a positive integer, got ${n}`);
  return n;
}

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight; results in input order.
 * The first failure stops new calls from starting and is rethrown once the running ones settle.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  checkConcurrency(concurrency, 'mapPool');
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        throwIfAborted(signal);
        out[i] = await fn(items[i]!, i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failed) throw failed.error;
  return out;
}
