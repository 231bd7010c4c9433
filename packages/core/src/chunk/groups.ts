/**
 * Record groups (row groups) inside a chunk (docs/formats/chunk.md, "Record groups"). A chunk
 * stays a big object for the store, but each stream is cut into pages, one per group of
 * consecutive records, each encoded on its own. A region query then reads and decodes only the
 * pages of the groups whose span overlaps it. Pages of one stream are stored back to back in
 * group order, so a stream's extent in the stream table is still one contiguous range and a
 * whole-stream read needs no group knowledge.
 *
 * A chunk with one group has no `groups` key: its pages are its streams (the plain layout).
 */

/** One encoded page: a stream's bytes for one group. */
export interface ChunkPage {
  /** Absolute byte offset in the object. */
  offset: number;
  /** Encoded length. */
  length: number;
  /** Length before encoding. */
  rawLength: number;
  /** CRC32C of the encoded bytes. */
  crc32c: number;
}

export interface ChunkGroup {
  /** Ordinal of the group's first record in the chunk. */
  firstRecord: number;
  records: number;
  /**
   * Half-open interval [start, end) the group's records cover in the driver's coordinate (e.g.
   * min alignment start .. max alignment end); planners skip groups it misses. Absent: unknown
   * (never skipped).
   */
  span?: [start: number, end: number];
  /** One page per stream, in stream-table order. */
  pages: ChunkPage[];
}

/** What a writer says about each group: its record count and optional span. */
export interface ChunkGroupInput {
  records: number;
  span?: [start: number, end: number];
}

/**
 * Every group but the last must hold a multiple of this many records, so bitmaps (bool,
 * presence) of consecutive groups concatenate byte-wise when several groups are decoded as one.
 */
export const GROUP_RECORD_ALIGNMENT = 8;

/** Part name of one page in a read plan and in the map handed to `decodeChunkPages`. */
export function pagePartName(stream: string, group: number): string {
  return `${stream}#${group}`;
}

/**
 * Indices of the groups whose span overlaps some interval [start, end) of `intervals`
 * (groups without a span always count), in ascending order.
 */
export function groupsOverlapping(groups: readonly ChunkGroup[], intervals: readonly { start: number; end: number }[]): number[] {
  const out: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    const span = groups[g]!.span;
    if (!span) {
      out.push(g);
      continue;
    }
    for (const iv of intervals) {
      if (span[0] < iv.end && span[1] > iv.start) {
        out.push(g);
        break;
      }
    }
  }
  return out;
}
