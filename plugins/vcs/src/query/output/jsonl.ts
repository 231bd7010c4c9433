/** JSON lines: one object per record, keys in column order, floats as their shortest float32 decimal. */
import type { ByteSink } from '@genolake/core';
import type { OutColumn } from '../project.js';
import { shortestFloat32 } from './float32.js';
import { textOut, type TableWriter } from './table-writer.js';

export function jsonlWriter(sink: ByteSink, columns: readonly OutColumn[]): TableWriter {
  const out = textOut(sink);
  return {
    async write(cells, rows) {
      for (let i = 0; i < rows; i++) {
        const o: Record<string, unknown> = {};
        for (let k = 0; k < columns.length; k++) {
          const v = cells[k]![i]!;
          o[columns[k]!.name] = typeof v === 'number' && columns[k]!.type === 'float' ? shortestFloat32(v) : v;
        }
        const full = out.add(`${JSON.stringify(o)}\n`);
        if (full) await full; // only when a piece is due: no microtask per row
      }
    },
    end: () => out.flush(),
  };
}
