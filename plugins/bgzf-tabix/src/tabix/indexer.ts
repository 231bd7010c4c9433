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
import { parseLine } from './record.js';
import { TBI_DEPTH, TBI_MIN_SHIFT } from './tbi.js';

export interface IndexOptions {
  config: TabixConfig;
  format?: IndexFormat;
  /** CSI only; default 14. */
  minShift?: number;
  /** CSI only; default: the smallest depth holding 2^29 positions at this min-shift, as htslib. */
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
    // htslib grows the depth until the scheme covers 2^29 positions (more if records need it).
    depth = 0;
    while (minShift + 3 * depth < 29) depth++;
  }
  const { config } = options;
  const builder = new IndexBuilder(format, minShift, depth, config, name);
  const meta = config.meta.charCodeAt(0);
  let lineNo = 0;
  let carry: Uint8Array[] = [];
  let lineStart = 0; // virtual offset of the line being read
  let curName = new Uint8Array(0);
  let curNameText = '';
  let endOfData = 0;

  const handle = (line: Uint8Array, vbeg: number, vend: number): void => {
    lineNo++;
    if (lineNo <= config.skip || line.length === 0 || line[0] === meta) return;
    const r = parseLine(line, config);
    if (typeof r === 'string') throw new InputError(`${name}: line ${lineNo}: ${r}`);
    const nameBytes = line.subarray(r.nameStart, r.nameEnd);
    if (!Buffer.from(nameBytes.buffer, nameBytes.byteOffset, nameBytes.length).equals(curName)) {
      curName = nameBytes.slice();
      curNameText = Buffer.from(curName).toString('latin1');
    }
    builder.add(curNameText, r.beg, r.end, vbeg, vend, lineNo);
  };

  for await (const block of readBlocks(source, { name, threads: options.threads ?? 2, onWarning: options.onWarning })) {
    const data = block.data;
    if (data.length === 0) continue;
    endOfData = vo.make(block.coffset, data.length);
    let pos = 0;
    for (;;) {
      const nl = data.indexOf(10, pos);
      if (nl < 0) break;
      const next = nl + 1 < data.length ? vo.make(block.coffset, nl + 1) : vo.make(block.coffset + block.size, 0);
      let line = data.subarray(pos, nl);
      if (carry.length > 0) {
        line = Buffer.concat([...carry, line]);
        carry = [];
      }
      handle(line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, -1) : line, lineStart, next);
      lineStart = next;
      pos = nl + 1;
    }
    if (pos < data.length) {
      if (carry.length === 0) lineStart = vo.make(block.coffset, pos);
      carry.push(data.subarray(pos));
    }
  }
  if (carry.length > 0) {
    // Last line without a newline: ends at the end of the data.
    const line = Buffer.concat(carry);
    handle(line, lineStart, endOfData);
  }
  return builder.finish();
}
