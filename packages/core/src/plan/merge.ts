/**
 * mergePlans: one read plan from several (say, page plans for chunks with record groups and
 * whole-stream plans for the others), with chunks in a caller-given order, so fetchPlan
 * yields them in dataset order and runs all requests through one bounded pool.
 */
import { InvalidArgumentError } from '../errors.js';
import { summarise } from './plan-reads.js';
import type { PlannedChunk, ReadPlan, ReadRequest } from './types.js';

/** `rank(key)` orders the chunks (ascending); chunks must be distinct across the plans. */
export function mergePlans(plans: readonly ReadPlan[], rank: (key: string) => number): ReadPlan {
  const chunks: PlannedChunk[] = plans.flatMap((p) => p.chunks);
  const keys = new Set(chunks.map((c) => c.entry.key));
  if (keys.size !== chunks.length) throw new InvalidArgumentError('mergePlans: a chunk appears in two plans');
  chunks.sort((a, b) => rank(a.entry.key) - rank(b.entry.key));
  const byKey = new Map<string, ReadRequest[]>();
  for (const p of plans) for (const r of p.requests) {
    let list = byKey.get(r.key);
    if (!list) byKey.set(r.key, (list = []));
    list.push(r);
  }
  const requests = chunks.flatMap((c) => byKey.get(c.entry.key) ?? []);
  return summarise(chunks, requests, plans.reduce((n, p) => n + p.usefulBytes, 0));
}
