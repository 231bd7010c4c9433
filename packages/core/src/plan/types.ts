/**
 * A read plan: the exact bounded byte ranges a query fetches, decided from the manifest alone.
 */
import type { ChunkEntry } from '../dataset/types.js';

/** Part name of a chunk's header (stream table); other parts are stream names. */
export const HEADER_PART = '@header';
/** Part name of a whole chunk object, for chunks whose manifest entry has no layout. */
export const OBJECT_PART = '@object';

/** A piece of one part inside a request. A part larger than maxRequestBytes spans requests. */
export interface PlannedPart {
  chunk: string;
  part: string;
  /** Absolute offset in the object. */
  offset: number;
  length: number;
}

/** One ranged get: `bytes=offset-(offset+length-1)`. */
export interface ReadRequest {
  key: string;
  offset: number;
  length: number;
  parts: PlannedPart[];
}

/** A chunk and the parts of it the plan reads. */
export interface PlannedChunk {
  entry: ChunkEntry;
  /** Stream names read (empty for whole-object chunks). */
  streams: string[];
  /** No layout in the manifest: the whole object is read as OBJECT_PART. */
  whole: boolean;
  /** Part name -> [offset, length] in the object, zero-length parts included. */
  parts: Map<string, [offset: number, length: number]>;
}

export interface ReadPlan {
  chunks: PlannedChunk[];
  /** In chunk order, then offset order. */
  requests: ReadRequest[];
  objects: number;
  requestCount: number;
  /** Bytes fetched, coalescing gaps included. */
  bytes: number;
  /** Bytes of the parts themselves (bytes - usefulBytes were fetched and discarded). */
  usefulBytes: number;
}

export interface PlanOptions {
  /** Streams to read from every chunk, or 'all' (default). */
  streams?: string[] | 'all';
  /** Merge two ranges of one object when at most this many bytes separate them (default 64 KiB). */
  coalesceGap?: number;
  /** Never make a request larger than this (default 16 MiB); bigger parts are split. */
  maxRequestBytes?: number;
}
