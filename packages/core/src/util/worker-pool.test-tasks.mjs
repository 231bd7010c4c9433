// Plain-JavaScript task module for worker-pool.test.ts (workers cannot import .ts).
import { threadId } from 'node:worker_threads';

export function add(a, b) {
  return a + b;
}

/** Busy-waits `ms` (CPU-bound, like a codec), then reports which thread ran it. */
export function spin(ms, label) {
  const until = Date.now() + ms;
  while (Date.now() < until);
  return { label, threadId };
}

export async function later(value) {
  await new Promise((r) => setTimeout(r, 5));
  return value;
}

export function fail(message) {
  throw new RangeError(message);
}

export function failCorrupt(message) {
  const e = new Error(message);
  e.code = 'CORRUPT';
  throw e;
}

export function crash() {
  process.exit(7);
}

/** Returns the sum of bytes and a moved buffer, using the transfer marker. */
export function sumAndEcho(bytes) {
  let s = 0;
  for (const b of bytes) s += b;
  const out = bytes.slice();
  return { __workerPoolTransfer: [{ sum: s, out }, [out.buffer]] };
}

export const notAFunction = 1;

/** Busy-waits `ms` and reports when it started and ended (Date.now()) and on which thread. */
export function timed(ms) {
  const start = Date.now();
  while (Date.now() < start + ms);
  return { start, end: Date.now(), threadId };
}
