import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AbortedError, CorruptDataError, InvalidArgumentError } from '../errors.js';
import { WorkerPool, getSharedPool } from './worker-pool.js';

const TASKS = new URL('./worker-pool.test-tasks.mjs', import.meta.url).href;

describe('WorkerPool', () => {
  const pool = new WorkerPool({ size: 2 });
  afterAll(() => pool.close());

  it('calls the named export with the arguments', async () => {
    expect(await pool.run<number>(TASKS, 'add', [2, 3])).toBe(5);
    expect(await pool.run<string>(TASKS, 'later', ['x'])).toBe('x');
    // A filesystem path works as well as a URL.
    expect(await pool.run<number>(fileURLToPath(TASKS), 'add', [1, 1])).toBe(2);
  });

  it('sizes from availableParallelism by default and accepts an override', async () => {
    const { availableParallelism } = await import('node:os');
    const p = new WorkerPool();
    expect(p.size).toBe(availableParallelism());
    await p.close();
    expect(() => new WorkerPool({ size: 0 })).toThrow(InvalidArgumentError);
  });

  it('runs tasks on separate threads in parallel and queues the rest', async () => {
    const started = performance.now();
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => pool.run<{ label: number; threadId: number }>(TASKS, 'spin', [60, i])),
    );
    const ms = performance.now() - started;
    expect(results.map((r) => r.label)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(pool.started).toBe(2);
    // Six 60 ms tasks on two threads need at least three rounds.
    expect(ms).toBeGreaterThanOrEqual(170);
  });

  it('moves buffers both ways when asked to', async () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const r = await pool.run<{ sum: number; out: Uint8Array }>(TASKS, 'sumAndEcho', [bytes], [bytes.buffer]);
    expect(r.sum).toBe(256);
    expect(r.out).toEqual(new Uint8Array([1, 2, 3, 250]));
    expect(bytes.byteLength).toBe(0); // transferred: detached on this side
  });

  it('propagates errors naming the module and export', async () => {
    const err = await pool.run(TASKS, 'fail', ['bad input']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('RangeError: bad input');
    expect((err as Error).message).toContain(`fail from ${TASKS}`);
    expect(((err as Error).cause as Error).stack).toContain('worker-pool.test-tasks.mjs');
    await expect(pool.run(TASKS, 'notAFunction', [])).rejects.toThrow(/no exported function "notAFunction"/);
    await expect(pool.run(new URL('./missing.mjs', import.meta.url).href, 'x', [])).rejects.toThrow(/missing\.mjs/);
  });

  it('rebuilds genolake errors by code', async () => {
    const err = await pool.run(TASKS, 'failCorrupt', ['stream pos CRC mismatch']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    // The user's message as the task wrote it; where it ran is in the cause.
    expect((err as Error).message).toBe('stream pos CRC mismatch');
    expect(((err as Error).cause as Error).message).toMatch(/^stream pos CRC mismatch \(in worker running failCorrupt/);
  });

  it('survives a crashed worker', async () => {
    await expect(pool.run(TASKS, 'crash', [])).rejects.toThrow(/crash from .* exited with code 7/);
    expect(await pool.run<number>(TASKS, 'add', [20, 22])).toBe(42);
  });

  it('rejects arguments that cannot be sent, without losing the worker', async () => {
    await expect(pool.run(TASKS, 'add', [() => 1, 2])).rejects.toThrow(InvalidArgumentError);
    expect(await pool.run<number>(TASKS, 'add', [1, 2])).toBe(3);
  });

  it('aborts queued and running tasks', async () => {
    const p = new WorkerPool({ size: 1 });
    const running = new AbortController();
    const queued = new AbortController();
    const a = p.run(TASKS, 'spin', [2000, 'a'], [], { signal: running.signal });
    const b = p.run(TASKS, 'spin', [10, 'b'], [], { signal: queued.signal });
    const c = p.run<{ label: string }>(TASKS, 'spin', [10, 'c']);
    queued.abort();
    await expect(b).rejects.toBeInstanceOf(AbortedError);
    const t0 = performance.now();
    running.abort();
    await expect(a).rejects.toBeInstanceOf(AbortedError);
    expect((await c).label).toBe('c');
    expect(performance.now() - t0).toBeLessThan(1500);
    await p.close();
  });

  describe('depth: tasks sent ahead to a busy worker', () => {
    interface Timed { start: number; end: number; threadId: number }
    /** Two 100 ms tasks on one worker while this thread spins 600 ms: when did the second start? */
    async function secondStart(depth: number): Promise<{ gap: number; free: number; second: Timed }> {
      const p = new WorkerPool({ size: 1, depth });
      await p.run(TASKS, 'add', [1, 1]); // started and warm
      const a = p.run<Timed>(TASKS, 'timed', [100]);
      const b = p.run<Timed>(TASKS, 'timed', [100]);
      const until = Date.now() + 600;
      while (Date.now() < until); // this thread busy, as a query decoding a group is
      const free = Date.now();
      const [first, second] = await Promise.all([a, b]);
      await p.close();
      return { gap: second.start - first.end, free, second };
    }
    it('a worker starts its next task without waiting for the calling thread', async () => {
      const two = await secondStart(2);
      expect(two.gap).toBeLessThan(100);
      expect(two.second.end).toBeLessThanOrEqual(two.free);
      // Control: with depth 1 the second task is sent only once this thread is free again.
      const one = await secondStart(1);
      expect(one.second.start).toBeGreaterThanOrEqual(one.free);
    });
    it('starts a new worker before giving a busy one more', async () => {
      const p = new WorkerPool({ size: 2, depth: 2 });
      const [a, b] = await Promise.all([p.run<Timed>(TASKS, 'timed', [50]), p.run<Timed>(TASKS, 'timed', [50])]);
      expect(a.threadId).not.toBe(b.threadId);
      expect(p.started).toBe(2);
      await p.close();
    });
    it('a crash fails the running task and runs the waiting ones elsewhere; moved buffers cannot be resent', async () => {
      const p = new WorkerPool({ size: 1, depth: 3 });
      const crash = p.run(TASKS, 'crash', []);
      const add = p.run<number>(TASKS, 'add', [20, 22]);
      const bytes = new Uint8Array([1, 2, 3]);
      const moved = p.run(TASKS, 'sumAndEcho', [bytes], [bytes.buffer]).catch((e: unknown) => e);
      await expect(crash).rejects.toThrow(/crash from .* exited with code 7/);
      expect(await add).toBe(42);
      expect(String(await moved)).toMatch(/sumAndEcho from .* was waiting in a worker that exited with code 7; the buffers moved to it are gone/);
      expect(await p.run<number>(TASKS, 'add', [1, 2])).toBe(3);
      await p.close();
    });
    it('aborting a task sent but not started rejects it at once and keeps the worker', async () => {
      const p = new WorkerPool({ size: 1, depth: 2 });
      const ac = new AbortController();
      const a = p.run<Timed>(TASKS, 'timed', [300]);
      const b = p.run<Timed>(TASKS, 'timed', [10], [], { signal: ac.signal });
      await new Promise((r) => setTimeout(r, 50));
      const t0 = Date.now();
      ac.abort();
      await expect(b).rejects.toBeInstanceOf(AbortedError);
      expect(Date.now() - t0).toBeLessThan(200);
      const first = await a;
      expect((await p.run<Timed>(TASKS, 'timed', [1])).threadId).toBe(first.threadId);
      await p.close();
    });
    it('rejects a depth that is not a positive integer', () => {
      expect(() => new WorkerPool({ depth: 0 })).toThrow(/depth must be a positive integer, got 0/);
    });
  });

  it('close() rejects pending work and refuses new work', async () => {
    const p = new WorkerPool({ size: 1 });
    const a = p.run(TASKS, 'spin', [200, 'a']);
    const b = p.run(TASKS, 'add', [1, 2]);
    const settled = Promise.allSettled([a, b]);
    await p.close();
    const [ra, rb] = await settled;
    expect(ra.status === 'rejected' && ra.reason).toBeInstanceOf(AbortedError);
    expect(rb.status === 'rejected' && rb.reason).toBeInstanceOf(AbortedError);
    await expect(p.run(TASKS, 'add', [1, 2])).rejects.toThrow(/closed/);
  });

  it('getSharedPool returns one lazily created pool', () => {
    expect(getSharedPool()).toBe(getSharedPool());
  });

  it('does not keep the process alive when idle', () => {
    // A child process uses a pool, never closes it, and must still exit promptly.
    // The pool module is TypeScript, so the child loads it through the test hooks.
    const hooks = new URL('./worker-pool.test-register.mjs', import.meta.url).href;
    const poolUrl = new URL('./worker-pool.ts', import.meta.url).href;
    const script = `
      const { WorkerPool } = await import(${JSON.stringify(poolUrl)});
      const pool = new WorkerPool({ size: 2 });
      const r = await Promise.all([pool.run(${JSON.stringify(TASKS)}, 'add', [1, 2]), pool.run(${JSON.stringify(TASKS)}, 'spin', [20, 'x'])]);
      console.log(JSON.stringify(r[0]));`;
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--import', hooks, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout.trim()).toBe('3');
    expect(child.status).toBe(0);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
