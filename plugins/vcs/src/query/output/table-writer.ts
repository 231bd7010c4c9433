/** A sink of column-major batches of typed cells (the table outputs: tsv, jsonl, arrow, parquet). */
import type { OutColumn } from '../project.js';

export type Cell = string | number | boolean | null;

export interface TableWriter {
  /** `cells[k][i]`: column k, row i of a batch of `rows` rows. */
  write(cells: Cell[][], rows: number): Promise<void>;
  end(): Promise<void>;
}

export type TableWriterFactory = (columns: readonly OutColumn[]) => TableWriter;
