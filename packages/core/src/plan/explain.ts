import type { ExplainReport } from '../plugin/types.js';
import type { HeaderRead } from './plan-grouped.js';
import type { ReadPlan } from './types.js';

/** The reads made for chunk headers before the data plan was made (metadata, no record data). */
export interface HeaderReadsReport {
  requests: number;
  bytes: number;
  ranges: HeaderRead[];
}

/** An ExplainReport that also lists, apart from the data ranges, the header reads planning took. */
export interface PlanExplainReport extends ExplainReport {
  headerReads?: HeaderReadsReport;
}

/**
 * What `--explain` prints: the plan's objects, ranges, requests and bytes, with no data
 * fetched. With `headerReads` (from planGroupedReads, which reads chunk headers to pick record
 * groups), the totals are what the query costs, header reads included; `ranges` are the
 * data reads and `headerReads` lists the header reads apart.
 */
export function explainPlan(plan: ReadPlan, notes: string[] = [], headerReads?: readonly HeaderRead[]): PlanExplainReport {
  const wasted = plan.bytes - plan.usefulBytes;
  const streams = new Set(plan.chunks.flatMap((c) => (c.whole ? ['(whole objects)'] : c.streams.map((s) => s.replace(/#\d+$/, '')))));
  const report: PlanExplainReport = {
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
  if (headerReads?.length) {
    const bytes = headerReads.reduce((n, r) => n + r.length, 0);
    report.headerReads = { requests: headerReads.length, bytes, ranges: headerReads.map((r) => ({ ...r })) };
    report.objects = new Set([...plan.requests.map((r) => r.key), ...headerReads.map((r) => r.key)]).size;
    report.requests += headerReads.length;
    report.bytes += bytes;
    report.notes!.push(`header reads: ${headerReads.length} requests, ${bytes} bytes (metadata only); data reads: ${plan.requestCount} requests, ${plan.bytes} bytes`);
  }
  return report;
}
