import type { ExplainReport } from '../plugin/types.js';
import type { ReadPlan } from './types.js';

/** What `--explain` prints: the plan's objects, ranges, requests and bytes, fetched nothing. */
export function explainPlan(plan: ReadPlan, notes: string[] = []): ExplainReport {
  const wasted = plan.bytes - plan.usefulBytes;
  const streams = new Set(plan.chunks.flatMap((c) => (c.whole ? ['(whole objects)'] : c.streams)));
  return {
    objects: plan.objects,
    requests: plan.requestCount,
    bytes: plan.bytes,
    ranges: plan.requests.map((r) => ({ key: r.key, offset: r.offset, length: r.length })),
    notes: [
      ...notes,
      `${plan.chunks.length} chunks; streams: ${[...streams].join(', ') || 'none'}`,
      `${plan.usefulBytes} bytes needed, ${wasted} more fetched to coalesce ranges`,
    ],
  };
}
