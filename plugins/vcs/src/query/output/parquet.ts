/**
 * Parquet output (hyparquet-writer, zstd): INT32 / FLOAT / BOOLEAN / STRING columns as in the
 * arrow output. The file is written at the end from the collected cells: the result is held in
 * memory (a filtered query result; use arrow or jsonl to stream very large ones).
 */
import type { ByteSink, Host } from '@genolake/core';
import { writeParquet, type ParquetColumn } from '../../dataset/parquet.js';
import type { OutColumn } from '../project.js';
import type { Cell, TableWriter } from './table-writer.js';

export function parquetWriter(host: Host, sink: ByteSink, columns: readonly OutColumn[]): TableWriter {
  const data: Cell[][] = columns.map(() => []);
  return {
    async write(cells, rows) {
      for (let k = 0; k < columns.length; k++) for (let i = 0; i < rows; i++) data[k]!.push(cells[k]![i]!);
    },
    async end() {
      const cols: ParquetColumn[] = columns.map((c, k) => ({
        name: c.name,
        type: c.type === 'int' ? 'INT32' : c.type === 'float' ? 'FLOAT' : c.type === 'bool' ? 'BOOLEAN' : 'STRING',
        data: data[k]!,
        nullable: c.type !== 'bool',
      }));
      await sink.write(writeParquet(host, cols, { rowGroupSize: 65536 }));
    },
  };
}
