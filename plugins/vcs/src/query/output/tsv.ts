/** Tab-separated output: a `#`-prefixed header line of the column names, `.` for missing, floats as VCF prints them. */
import type { ByteSink } from '@genolake/core';
import { formatFloat } from '../../record/float.js';
import type { OutColumn } from '../project.js';
import { textOut, type Cell, type TableWriter } from './table-writer.js';

export function tsvWriter(sink: ByteSink, columns: readonly OutColumn[]): TableWriter {
  const out = textOut(sink, `#${columns.map((c) => c.name).join('\t')}\n`);
  const fmt = (c: OutColumn, v: Cell): string => {
    if (v === null) return '.';
    if (typeof v === 'boolean') return v ? '1' : '0';
    if (typeof v === 'number') return c.type === 'float' ? formatFloat(v) : String(v);
    return v;
  };
  return {
    async write(cells, rows) {
      for (let i = 0; i < rows; i++) {
        let line = '';
        for (let k = 0; k < columns.length; k++) line += (k ? '\t' : '') + fmt(columns[k]!, cells[k]![i]!);
        const full = out.add(`${line}\n`);
        if (full) await full; // only when a piece is due: no microtask per row
      }
    },
    end: () => out.flush(),
  };
}
