/**
 * Builds a tabix or CSI index by streaming a BGZF file once: splits lines (tracking the virtual
 * offsets where each starts and ends), finds each line's interval and feeds the IndexBuilder.
 */
import { InputError } from '@genolake/core';
import { IndexBuilder } from '../binning/builder.js';
import type { BinningIndex, IndexFormat } from '../binning/index.js';
import { readBlocks } from '../bgzf/stream.js';
import * as vo from '../bgzf/virtual-offset.js';
import type { TabixConfig } from './config.js';
import { LineParser } from './record.js';
import { TBI_DEPTH, TBI_MIN_SHIFT } from './tbi.js';

export interface IndexOptions {
  config: TabixConfig;
  format?: IndexFormat;
  /** CSI only; default 14. */
  minShift?: number;
  /** CSI only; default as htslib's tabix: floor((33 - minShift) / 3). */
  depth?: number;
  name?: string;
  threads?: number;
  onWarning?: (message: string) => void;
}

export async function buildIndex(source: AsyncIterable<Uint8Array>, options: IndexOptions): Promise<BinningIndex> {
  const format = options.format ?? 'tbi';
  const name = options.name ?? 'input';
  const minShift = format === 'tbi' ? TBI_MIN_SHIFT : (options.minShift ?? 14);
  let depth = format === 'tbi' ? TBI_DEPTH : options.depth;
  if (depth === undefined) {
    // As htslib's tbx_index: (TBX_MAX_SHIFT 31 - min_shift + 2) / 3 levels, i.e. 6 at min-shift
    // 14 (scheme covers 2^32 positions); checked byte-identical against `tabix -C`.
    depth = Math.floor((31 - minShift + 2) / 3);
  }
  const { config } = options;
  const builder = new IndexBuilder(format, minShift, depth, config, name);
  const meta = config.meta.charCodeAt(0);
  const parser = new LineParser(config);
  let lineNo = 0;
  let carry: Uint8Array[] = [];
  let lineStart = 0; // virtual offset of the line being read
  let curName: Uint8Array = new Uint8Array(0);
  let curNameText = '';
  let endOfData = 0;

  // Bytes, not strings: the name is compared in place and decoded only when it changes.
  const handle = (buf: Uint8Array, from: number, to: number, vbeg: number, vend: number): void => {
    lineNo++;
    if (to > from && buf[to - 1] === 13) to--;
    if (lineNo <= config.skip || to === from || buf[from] === meta) return;
    const err = parser.parse(buf, from, to);
    if (err !== undefined) throw new InputError(`${name}: line ${lineNo}: ${err}`);
    const ns = parser.nameStart;
    const n = parser.nameEnd - ns;
    let same = n === curName.length;
    for (let i = 0; same && i < n; i++) same = buf[ns + i] === curName[i];
    if (!same) {
      curName = buf.slice(ns, parser.nameEnd);
      curNameText = Buffer.from(curName.buffer, curName.byteOffset, curName.length).toString('latin1');
    }
    builder.add(curNameText, parser.beg, parser.end, vbeg, vend, lineNo);
  };

  for await (const block of readBlocks(source, { name, threads: options.threads ?? 2, onWarning: options.onWarning })) {
    const data = block.data;
    if (data.length === 0) continue;
    const base = vo.make(block.coffset, 0);
    const nextBlock = vo.make(block.coffset + block.size, 0);
    endOfData = base + data.length;
    let pos = 0;
    for (;;) {
      const nl = data.indexOf(10, pos);
      if (nl < 0) break;
      const next = nl + 1 < data.length ? base + nl + 1 : nextBlock;
      if (carry.length > 0) {
        carry.push(data.subarray(pos, nl));
        const line = Buffer.concat(carry);
        carry = [];
        handle(line, 0, line.length, lineStart, next);
      } else handle(data, pos, nl, lineStart, next);
      lineStart = next;
      pos = nl + 1;
    }
    if (pos < data.length) {
      if (carry.length === 0) lineStart = base + pos;
      carry.push(data.subarray(pos));
    }
  }
  if (carry.length > 0) {
    // Last line without a newline: ends at the end of the data.
    const line = Buffer.concat(carry);
    handle(line, 0, line.length, lineStart, endOfData);
  }
  return builder.finish();
}
