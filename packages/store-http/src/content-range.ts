/**
 * Parsing and checking `Content-Range` on 206/416 responses. A ranged read is accepted only
 * when the server says it sent exactly the bytes asked for (clipped at the end of the
 * object); anything else would put the wrong bytes under a correct-looking offset.
 */
import { CorruptDataError } from '@genolake/core';

export interface ContentRange {
  /** First byte sent (inclusive); undefined for `bytes *\/total` (unsatisfiable). */
  start?: number;
  /** Last byte sent (inclusive). */
  end?: number;
  /** Object size; undefined when the server sends `/*`. */
  total?: number;
}

const RANGE_RE = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i;

export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (!value) return undefined;
  const m = RANGE_RE.exec(value.trim());
  if (!m) return undefined;
  const out: ContentRange = {};
  if (m[1] !== undefined && m[2] !== undefined) {
    out.start = Number(m[1]);
    out.end = Number(m[2]);
  }
  if (m[3] !== '*') out.total = Number(m[3]);
  return out;
}

/**
 * Checks a 206's Content-Range against the request `[offset, offset + length)`: the start
 * must equal `offset` and the end must be the requested end clipped to the object size.
 * Returns the number of body bytes to expect.
 */
export function expectedRangeLength(header: string | undefined, offset: number, length: number, what: string): number {
  const cr = parseContentRange(header);
  if (!cr || cr.start === undefined || cr.end === undefined) {
    throw new CorruptDataError(`${what}: 206 response with a missing or malformed Content-Range ${JSON.stringify(header ?? null)}`);
  }
  const wantEnd = offset + length - 1;
  const clippedEnd = cr.total === undefined ? wantEnd : Math.min(wantEnd, cr.total - 1);
  if (cr.start !== offset || cr.end !== clippedEnd || cr.end < cr.start) {
    throw new CorruptDataError(
      `${what}: asked for bytes ${offset}-${wantEnd} but the server sent Content-Range ${header} (expected bytes ${offset}-${clippedEnd})`,
    );
  }
  return cr.end - cr.start + 1;
}
