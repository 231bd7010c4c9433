/** A sink of column-major batches of typed cells (the table outputs: tsv, jsonl, arrow, parquet). */
import type { ByteSink } from '@genolake/core';
import type { OutColumn } from '../project.js';

export type Cell = string | number | boolean | null;

export interface TableWriter {
  /** `cells[k][i]`: column k, row i of a batch of `rows` rows. */
  write(cells: Cell[][], rows: number): Promise<void>;
  end(): Promise<void>;
}

export type TableWriterFactory = (columns: readonly OutColumn[]) => TableWriter;

/** Text written to `sink` in UTF-8 pieces of about 1 MiB (the text outputs: tsv, jsonl). */
export function textOut(sink: ByteSink, first = ''): { add(text: string): Promise<void> | undefined; flush(): Promise<void> } {
  let text = first;
  const flush = async (): Promise<void> => {
    if (text) await sink.write(Buffer.from(text, 'utf8'));
    text = '';
  };
  return {
    add(t) {
      text += t;
      return text.length >= 1 << 20 ? flush() : undefined;
    },
    flush,
  };
}
