import { AbortedError } from '../errors.js';

/**
 * A single-consumer async queue with a bounded number of items: `push` waits while it is
 * full, which carries a slow consumer's backpressure (a store upload) back to the producer.
 * `fail` makes the consumer throw (its put then discards the partial object) and makes
 * every later `push` reject.
 */
export class BoundedQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private closed = false;
  private error: unknown;
  private failed = false;
  private wakeConsumer?: () => void;
  private readonly wakeProducers: (() => void)[] = [];

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  async push(item: T): Promise<void> {
    while (!this.failed && !this.closed && this.items.length >= this.capacity) {
      await new Promise<void>((r) => this.wakeProducers.push(r));
    }
    if (this.failed) throw this.error;
    if (this.closed) throw new RangeError('push after close');
    this.items.push(item);
    this.wakeConsumer?.();
  }

  /** No more items: the consumer finishes after draining. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.error = error;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let finished = false;
    try {
      for (;;) {
        if (this.failed) throw this.error;
        if (this.items.length > 0) {
          const item = this.items.shift() as T;
          this.wakeProducers.shift()?.();
          yield item;
          continue;
        }
        if (this.closed) {
          finished = true;
          return;
        }
        await new Promise<void>((r) => (this.wakeConsumer = r));
        this.wakeConsumer = undefined;
      }
    } finally {
      // A consumer that stops early must not leave producers waiting forever.
      if (!finished) this.fail(this.failed ? this.error : new AbortedError('the consumer of this stream stopped early'));
    }
  }

  private wake(): void {
    this.wakeConsumer?.();
    for (const w of this.wakeProducers.splice(0)) w();
  }
}
