/** Tab-separated output: a `#`-prefixed header line of the column names, `.` for missing, floats as VCF prints them. */
import type { ByteSink } from '@genolake/core';
import { formatFloat } from '../../record/float.js';
import type { OutColumn } from '../project.js';
import type { Cell, TableWriter } from './table-writer.js';

export function tsvWriter(sink: ByteSink, columns: readonly OutColumn[]): TableWriter {
  let text = `#${columns.map((c) => c.name).join('\t')}\n`;
  const fmt = (c: OutColumn, v: Cell): string => {
    if (v === null) return '.';
    if (typeof v === 'boolean') return v ? '1' : '0';
    if (typeof v === 'number') return c.type === 'float' ? formatFloat(v) : String(v);
    return v;
  };
  const flush = async (): Promise<void> => {
    if (text) await sink.write(Buffer.from(text, 'utf8'));
    text = '';
  };
  return {
    async write(cells, rows) {
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < columns.length; k++) text += (k ? '\t' : '') + fmt(columns[k]!, cells[k]![i]!);
        text += '\n';
        if (text.length >= 1 << 20) await flush();
      }
    },
    async end() { await flush(); },
  };
}
