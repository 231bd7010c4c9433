/**
 * Coalescing: the parts one chunk needs -> bounded ranged gets. Ranges of one object are
 * sorted and merged when the gap between them is small, because one request costs more than
 * a few KiB of discarded bytes (an S3 GET is ~20-50 ms to first byte; 64 KiB at 100 MB/s is
 * under 1 ms).
 */
import type { PlannedChunk, PlannedPart, ReadRequest } from './types.js';

/**
 * Sorted and merged into spans across gaps <= `gap`; a span longer than `max` is cut into
 * windows of `max` bytes, each trimmed to the parts inside it (a window of pure gap is skipped).
 * Parts cut by a window boundary are reassembled by the fetcher.
 */
export function requestsFor(p: PlannedChunk, gap: number, max: number): ReadRequest[] {
  const key = p.entry.key;
  const parts = [...p.parts]
    .filter(([, [, length]]) => length > 0)
    .map(([part, [offset, length]]): PlannedPart => ({ chunk: key, part, offset, length }))
    .sort((a, b) => a.offset - b.offset || a.length - b.length);
  const spans: { start: number; end: number; parts: PlannedPart[] }[] = [];
  for (const part of parts) {
    const cur = spans[spans.length - 1];
    const end = part.offset + part.length;
    if (cur && part.offset - cur.end <= gap) {
      cur.end = Math.max(cur.end, end);
      cur.parts.push(part);
    } else spans.push({ start: part.offset, end, parts: [part] });
  }
  const out: ReadRequest[] = [];
  for (const span of spans) {
    for (let w = span.start; w < span.end; w += max) {
      const wEnd = Math.min(w + max, span.end);
      const pieces: PlannedPart[] = [];
      for (const part of span.parts) {
        const a = Math.max(part.offset, w);
        const b = Math.min(part.offset + part.length, wEnd);
        if (a < b) pieces.push({ ...part, offset: a, length: b - a });
      }
      if (pieces.length === 0) continue;
      const offset = pieces[0]!.offset;
      const end = Math.max(...pieces.map((x) => x.offset + x.length));
      out.push({ key, offset, length: end - offset, parts: pieces });
    }
  }
  return out;
}

