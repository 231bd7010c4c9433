/**
 * Arrow IPC stream output: one schema, then one record batch per row group read. Types follow
 * the columns: Int32 (POS and Number=1 Integer), Float32 (QUAL, Number=1 Float), Bool (Flags),
 * Utf8 (everything else, as VCF text). apache-arrow is imported on first use (~100 ms).
 */
import type { ByteSink } from '@genolake/core';
import type { OutColumn } from '../project.js';
import type { Cell, TableWriter } from './table-writer.js';

type Arrow = typeof import('apache-arrow');

export function arrowWriter(sink: ByteSink, columns: readonly OutColumn[]): TableWriter {
  let arrow: Arrow | undefined;
  let writer: InstanceType<Arrow['RecordBatchStreamWriter']> | undefined;
  let pump: Promise<void> | undefined;
  let written = 0;
  const start = async (): Promise<Arrow> => {
    if (arrow) return arrow;
    arrow = await import('apache-arrow');
    const w = (writer = new arrow.RecordBatchStreamWriter());
    pump = (async () => { for await (const b of w) await sink.write(b); })();
    pump.catch(() => undefined);
    return arrow;
  };
  const typeOf = (a: Arrow, c: OutColumn) => (c.type === 'int' ? new a.Int32() : c.type === 'float' ? new a.Float32() : c.type === 'bool' ? new a.Bool() : new a.Utf8());
  // one explicit schema (every field nullable) for every batch: the writer ends the stream on a schema change
  let schema: InstanceType<Arrow['Schema']> | undefined;
  const batch = (a: Arrow, cells: Cell[][], rows: number) => {
    schema ??= new a.Schema(columns.map((c) => new a.Field(c.name, typeOf(a, c), true)));
    const children = columns.map((c, k) => a.vectorFromArray(cells[k]!, typeOf(a, c) as never).data[0]!);
    return new a.RecordBatch(schema, a.makeData({ type: new a.Struct(schema.fields), length: rows, nullCount: 0, children }));
  };
  return {
    async write(cells, rows) {
      if (!rows) return;
      const a = await start();
      writer!.write(batch(a, cells, rows));
      written++;
    },
    async end() {
      const a = await start();
      if (!written) writer!.write(batch(a, columns.map(() => []), 0));
      writer!.finish();
      await pump;
    },
  };
}
