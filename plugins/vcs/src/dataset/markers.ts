/**
 * The marker-major copy (`--option layout=marker-major`): per part, one object
 * `….markers-<first sample>.bin` holding, for every site row, one zstd frame ("block") with
 * ID, REF, ALT and the chosen FORMAT keys (default GT and DS) of ALL samples of the write, each as
 * one matrix row (matrix/matrix.ts). After the blocks come index pages: per page of 1024 sites a
 * zstd frame of float64 triples (POS, END, block offset) and the end offset of its last block.
 * The manifest entry's `extra.pages` lists each page as [first POS, max END, offset, length], so
 * "all samples at one marker" is two bounded ranged gets: the index page, then the block(s).
 * Data written by `--add-samples` gets its own markers object (one more pair of gets).
 */
import type { Codec, ObjectStore } from '@genolake/core';
import type { Header } from '../header/header.js';
import type { VcfRecord } from '../record/record.js';
import { codingOf, decodeRow, encodeRow, type Cells } from './matrix/matrix.js';

export const PAGE_SITES = 1024;

export interface MarkersExtra {
  kind: 'markers';
  sites: string;
  sampleFrom: number;
  sampleTo: number;
  keys: string[];
  /** [first POS, max END, byte offset, byte length] per index page. */
  pages: [number, number, number, number][];
}

function frame(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += 4 + p.length;
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) { dv.setUint32(at, p.length, true); out.set(p, at + 4); at += 4 + p.length; }
  return out;
}

function unframe(b: Uint8Array): Uint8Array[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Uint8Array[] = [];
  for (let at = 0; at < b.length;) { const n = dv.getUint32(at, true); out.push(b.subarray(at + 4, at + 4 + n)); at += 4 + n; }
  return out;
}

/**
 * The block of one site: ID, REF, ALT and each of `keys` over all samples (empty: the record lacks
 * the key, or `r` is null). A record of the convert fast path brings these rows already encoded,
 * after its `groups` matrix cells (direct.ts); others are encoded from their parsed values.
 */
export function markerBlock(r: VcfRecord | null, header: Header | undefined, keys: readonly string[], zstd: Codec, level: number, groups = 0): Uint8Array {
  const parts: Uint8Array[] = [Buffer.from(r ? `${r.id}\t${r.ref}\t${r.alt.length ? r.alt.join(',') : '.'}` : '.\tN\t.', 'latin1')];
  for (const key of keys) {
    const k = r ? r.format.indexOf(key) : -1;
    if (k < 0) parts.push(new Uint8Array(0));
    else if (r!.cells) parts.push(r!.cells.get(key)![groups]!);
    else parts.push(encodeRow(r!.samples[k]!, codingOf(key, header!.formatDef(key))));
  }
  return zstd.encode(frame(parts), { type: 'bytes', param: String(level) }) as Uint8Array;
}

/**
 * The markers object of a part: its rows' blocks (row i: `sites[i]`, the part's POS and END, also
 * for rows an added batch lacks, so every object of a part has the same rows), then the index pages.
 */
export function buildMarkers(blocks: readonly Uint8Array[], sites: readonly { pos: number; end: number }[], zstd: Codec, level: number): { bytes: Uint8Array; pages: MarkersExtra['pages'] } {
  const offsets: number[] = [];
  const out: Uint8Array[] = [];
  let at = 0;
  for (const b of blocks) { offsets.push(at); out.push(b); at += b.length; }
  const pages: MarkersExtra['pages'] = [];
  const blocksEnd = at;
  for (let p = 0; p < blocks.length; p += PAGE_SITES) {
    const q = Math.min(blocks.length, p + PAGE_SITES);
    const triples = new Float64Array(3 * (q - p) + 1);
    let maxEnd = 0, firstPos = Infinity;
    for (let i = p; i < q; i++) {
      const s = sites[i]!;
      if (s.end > maxEnd) maxEnd = s.end;
      if (s.pos < firstPos) firstPos = s.pos;
      triples.set([s.pos, s.end, offsets[i]!], 3 * (i - p));
    }
    triples[3 * (q - p)] = q < offsets.length ? offsets[q]! : blocksEnd;
    const page = zstd.encode(new Uint8Array(triples.buffer), { type: 'bytes', param: String(level) }) as Uint8Array;
    pages.push([firstPos, maxEnd, at, page.length]);
    out.push(page);
    at += page.length;
  }
  const bytes = new Uint8Array(at);
  let o = 0;
  for (const b of out) { bytes.set(b, o); o += b.length; }
  return { bytes, pages };
}

/** One marker read back: its site text fields and each key's decoded row. */
export interface Marker { pos: number; id: string; ref: string; alt: string; rows: Map<string, Cells> }

type Get = (offset: number, length: number) => Promise<Uint8Array>;

/** A markers object's manifest entry: its extra fields and its key. */
export type MarkersObject = MarkersExtra & { key: string };

/** The markers objects of a part's manifest entries. */
export function markersObjects(entries: readonly { key: string; extra?: Record<string, unknown> }[]): MarkersObject[] {
  return entries.map((m) => ({ ...(m.extra as unknown as MarkersExtra), key: m.key }));
}

/** readMarkers on object `o` of `store` (ranged gets). */
export function readObjectMarkers(store: ObjectStore, o: MarkersObject, header: Header, zstd: Codec, ranges: { start: number; end: number }[], pages?: PageCache, signal?: AbortSignal): Promise<Marker[]> {
  return readMarkers(o, header, (offset, length) => store.get(o.key, { range: { offset, length }, ...(signal ? { signal } : {}) }), zstd, ranges, pages);
}

/**
 * For each of `samples`, the index of an object holding it and every one of `keys`, or -1
 * (a part made by add-samples where earlier samples have no markers object).
 */
export function owners(objects: readonly MarkersExtra[], samples: readonly number[], keys: readonly string[]): Int32Array {
  const usable = objects.map((o, i) => ({ o, i })).filter(({ o }) => keys.every((k) => o.keys.includes(k)));
  const out = new Int32Array(samples.length);
  for (let j = 0; j < samples.length; j++) {
    const s = samples[j]!;
    out[j] = usable.find(({ o }) => s >= o.sampleFrom && s < o.sampleTo)?.i ?? -1;
  }
  return out;
}

/** Decoded index pages of one markers object by byte offset (a long-lived reader keeps them: VariantsHandle). */
export type PageCache = Map<number, Float64Array>;

/**
 * Markers of one markers object overlapping [start, end] (1-based inclusive): two ranged gets
 * per index page, or one when `pages` already holds the decoded page.
 */
export async function readMarkers(extra: MarkersExtra, header: Header, get: Get, zstd: Codec, ranges: { start: number; end: number }[], pages?: PageCache): Promise<Marker[]> {
  const dec = (b: Uint8Array): Uint8Array => zstd.decode(b, { type: 'bytes' }) as Uint8Array;
  const n = extra.sampleTo - extra.sampleFrom;
  const want = (pos: number, end: number): boolean => ranges.some((r) => pos <= r.end && end >= r.start);
  const out: Marker[] = [];
  for (const [firstPos, maxEnd, offset, length] of extra.pages) {
    if (!ranges.some((r) => firstPos <= r.end && maxEnd >= r.start)) continue;
    let t = pages?.get(offset);
    if (!t) {
      const raw = dec(await get(offset, length));
      t = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      pages?.set(offset, t);
    }
    const m = (t.length - 1) / 3;
    const hits: number[] = [];
    for (let i = 0; i < m; i++) if (want(t[3 * i]!, t[3 * i + 1]!)) hits.push(i);
    if (!hits.length) continue;
    const lo = t[3 * hits[0]! + 2]!, last = hits[hits.length - 1]!;
    const hi = last + 1 < m ? t[3 * (last + 1) + 2]! : t[3 * m]!;
    const span = await get(lo, hi - lo);
    for (const i of hits) {
      const a = t[3 * i + 2]! - lo, b = (i + 1 < m ? t[3 * (i + 1) + 2]! : t[3 * m]!) - lo;
      const [site, ...rows] = unframe(dec(span.subarray(a, b)));
      const [id, ref, alt] = Buffer.from(site!).toString('latin1').split('\t');
      const map = new Map<string, Cells>();
      extra.keys.forEach((key, k) => {
        const def = header.formatDef(key);
        map.set(key, decodeRow(rows[k]!.length ? rows[k] : null, n, codingOf(key, def), def.number === '1' && (def.type === 'Integer' || def.type === 'Float')));
      });
      out.push({ pos: t[3 * i]!, id: id!, ref: ref!, alt: alt!, rows: map });
    }
  }
  return out;
}
