/**
 * External sort of (key, virtual offset, span) entries in index order with bounded memory:
 * entries collect in one arena (keys back to back, fields in typed arrays: no object per
 * entry); when the arena passes `memoryBytes` it is sorted and written to a run file in a
 * temporary directory; `entries()` then merges the runs and the last in-memory batch with a
 * heap, reading each run through a small buffer. Memory: `memoryBytes` plus 256 KiB per run.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@genolake/core';
import { compareRanges } from './keys.js';

/** One entry as the merge yields it: `key` is a view, valid until the next entry. */
export interface SortedEntry {
  key: Uint8Array;
  voffset: number;
  /** Compressed bytes from the line's first block to the end of the block holding its last byte. */
  span: number;
}

export interface SorterOptions {
  /** Arena budget before a run is spilled (default 64 MiB). */
  memoryBytes?: number;
  /** Where run files go (default the OS temporary directory). */
  tmpDir?: string;
}

/** Fixed bytes per entry besides its key: offset u32, length u16, voffset f64, span u32, order u32. */
const PER_ENTRY = 22;
const RUN_BUFFER = 256 * 1024;
export const MAX_KEY_LENGTH = 0xffff;

interface Source {
  key: Uint8Array;
  voffset: number;
  span: number;
  /** Loads the next entry; false at the end. */
  next(): boolean;
}

export class Sorter {
  private arena: Uint8Array = new Uint8Array(1 << 16);
  private used = 0;
  private offs = new Uint32Array(1024);
  private lens = new Uint16Array(1024);
  private voffs = new Float64Array(1024);
  private spans = new Uint32Array(1024);
  private n = 0;
  private readonly memoryBytes: number;
  private dir: string | undefined;
  private readonly runs: string[] = [];
  /** Entries added so far. */
  count = 0;

  constructor(private readonly options: SorterOptions = {}) {
    this.memoryBytes = options.memoryBytes ?? 64 << 20;
  }

  /** Adds `bytes[start, end)` as a key. */
  add(bytes: Uint8Array, start: number, end: number, voffset: number, span: number, where: () => string): void {
    const len = end - start;
    if (len > MAX_KEY_LENGTH) throw new InputError(`${where()}: key of ${len} bytes is longer than ${MAX_KEY_LENGTH}`);
    if (this.used + len > this.arena.length) this.arena = grow(this.arena, this.used + len);
    if (this.n === this.offs.length) {
      const m = this.n * 2;
      this.offs = growTyped(this.offs, new Uint32Array(m));
      this.lens = growTyped(this.lens, new Uint16Array(m));
      this.voffs = growTyped(this.voffs, new Float64Array(m));
      this.spans = growTyped(this.spans, new Uint32Array(m));
    }
    this.arena.set(bytes.subarray(start, end), this.used);
    this.offs[this.n] = this.used;
    this.lens[this.n] = len;
    this.voffs[this.n] = voffset;
    this.spans[this.n] = span;
    this.used += len;
    this.n++;
    this.count++;
    if (this.used + this.n * PER_ENTRY > this.memoryBytes) this.spill();
  }

  /** Runs written to disk so far. */
  get runCount(): number {
    return this.runs.length;
  }

  /** Every entry in index order (key, then voffset). Removes the run files when done. */
  *entries(): Generator<SortedEntry> {
    const sources: Source[] = this.runs.map((path) => new RunSource(path));
    if (this.n > 0) sources.push(this.memorySource(this.sortedOrder()));
    try {
      const heap = sources.filter((s) => s.next());
      const less = (a: Source, b: Source): boolean => {
        const c = compareRanges(a.key, 0, a.key.length, b.key, 0, b.key.length);
        return c < 0 || (c === 0 && a.voffset < b.voffset);
      };
      heapify(heap, less);
      const out: SortedEntry = { key: new Uint8Array(0), voffset: 0, span: 0 };
      while (heap.length > 0) {
        const top = heap[0]!;
        out.key = top.key;
        out.voffset = top.voffset;
        out.span = top.span;
        yield out;
        if (!top.next()) {
          heap[0] = heap[heap.length - 1]!;
          heap.pop();
        }
        siftDown(heap, 0, less);
      }
    } finally {
      for (const s of sources) if (s instanceof RunSource) s.close();
      this.cleanup();
    }
  }

  /** Removes temporary files (also done at the end of `entries()`). */
  cleanup(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.runs.length = 0;
  }

  private sortedOrder(): Uint32Array {
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    const { arena, offs, lens, voffs } = this;
    order.sort((i, j) => compareRanges(arena, offs[i]!, offs[i]! + lens[i]!, arena, offs[j]!, offs[j]! + lens[j]!) || voffs[i]! - voffs[j]!);
    return order;
  }

  private memorySource(order: Uint32Array): Source {
    let k = -1;
    const self = this;
    const s: Source = {
      key: new Uint8Array(0),
      voffset: 0,
      span: 0,
      next() {
        if (++k >= order.length) return false;
        const i = order[k]!;
        s.key = self.arena.subarray(self.offs[i]!, self.offs[i]! + self.lens[i]!);
        s.voffset = self.voffs[i]!;
        s.span = self.spans[i]!;
        return true;
      },
    };
    return s;
  }

  private spill(): void {
    const order = this.sortedOrder();
    this.dir ??= mkdtempSync(join(this.options.tmpDir ?? tmpdir(), 'genolake-gki-'));
    const path = join(this.dir, `run-${this.runs.length}`);
    const fd = openSync(path, 'w');
    try {
      const buf = new Uint8Array(RUN_BUFFER);
      const dv = new DataView(buf.buffer);
      let fill = 0;
      for (const i of order) {
        const len = this.lens[i]!;
        if (fill + len + 14 > buf.length) {
          writeAll(fd, buf.subarray(0, fill));
          fill = 0;
        }
        dv.setUint16(fill, len, true);
        buf.set(this.arena.subarray(this.offs[i]!, this.offs[i]! + len), fill + 2);
        dv.setFloat64(fill + 2 + len, this.voffs[i]!, true);
        dv.setUint32(fill + 10 + len, this.spans[i]!, true);
        fill += 14 + len;
      }
      writeAll(fd, buf.subarray(0, fill));
    } finally {
      closeSync(fd);
    }
    this.runs.push(path);
    this.n = 0;
    this.used = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Reads a run file entry by entry through a RUN_BUFFER window (a record never straddles it). */
class RunSource implements Source {
  key = new Uint8Array(0);
  voffset = 0;
  span = 0;
  private readonly fd: number;
  private readonly buf = new Uint8Array(RUN_BUFFER + 2 + 0xffff + 12);
  private readonly dv = new DataView(this.buf.buffer);
  private pos = 0;
  private end = 0;
  private eof = false;
  private closed = false;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  private fill(need: number): boolean {
    if (this.end - this.pos >= need) return true;
    if (this.eof) return false;
    this.buf.copyWithin(0, this.pos, this.end);
    this.end -= this.pos;
    this.pos = 0;
    while (this.end < need && !this.eof) {
      const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (got === 0) this.eof = true;
      this.end += got;
    }
    return this.end >= need;
  }

  next(): boolean {
    if (!this.fill(2)) return this.finish();
    const len = this.dv.getUint16(this.pos, true);
    if (!this.fill(14 + len)) throw new InputError(`key index run file ${this.path} is truncated`);
    this.key = this.buf.subarray(this.pos + 2, this.pos + 2 + len);
    this.voffset = this.dv.getFloat64(this.pos + 2 + len, true);
    this.span = this.dv.getUint32(this.pos + 10 + len, true);
    this.pos += 14 + len;
    return true;
  }

  private finish(): false {
    if (this.end > this.pos) throw new InputError(`key index run file ${this.path} is truncated`);
    this.close();
    return false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

function grow(a: Uint8Array, min: number): Uint8Array {
  const next = new Uint8Array(Math.max(a.length * 2, min));
  next.set(a);
  return next;
}

function growTyped<T extends Uint32Array | Uint16Array | Float64Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}

function heapify<T>(h: T[], less: (a: T, b: T) => boolean): void {
  for (let i = (h.length >> 1) - 1; i >= 0; i--) siftDown(h, i, less);
}

function siftDown<T>(h: T[], i: number, less: (a: T, b: T) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && less(h[l]!, h[m]!)) m = l;
    if (r < h.length && less(h[r]!, h[m]!)) m = r;
    if (m === i) return;
    const t = h[i]!;
    h[i] = h[m]!;
    h[m] = t;
    i = m;
  }
}
