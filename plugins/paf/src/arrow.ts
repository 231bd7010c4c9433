/**
 * Query output as an Arrow IPC stream (`--output-format arrow`): one schema message, then one
 * record batch per decoded chunk, holding the matching rows of the projected fields with the
 * reference name first as `rname`. Fields keep their stored types (seq as base letters, qual as
 * raw Phred values, cigar as packed BAM ops, aux as BAM aux bytes), so nothing is formatted as
 * text. apache-arrow is loaded on first use (it costs ~100 ms of start-up).
 */
import { concatBatches, createBatchBuilder, sliceBatch, type BinaryColumn, type ByteSink, type Column, type ColumnBatch } from '@genolake/core';
import { pafSchema } from './dataset/schema.js';

const encoder = new TextEncoder();

/** `n` copies of one string as a string column. */
function repeated(value: string, n: number): BinaryColumn {
  const one = encoder.encode(value);
  const data = new Uint8Array(one.length * n);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    data.set(one, i * one.length);
    offsets[i + 1] = (i + 1) * one.length;
  }
  return { kind: 'string', length: n, offsets, data };
}

/** The listed rows of `batch`, cut as contiguous runs (region hits mostly are one run). */
function takeRows(batch: ColumnBatch, rows: readonly number[]): ColumnBatch {
  if (rows.length === batch.length) return batch;
  const parts: ColumnBatch[] = [];
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (j < rows.length && rows[j] === rows[j - 1]! + 1) j++;
    parts.push(sliceBatch(batch, rows[i]!, rows[j - 1]! + 1));
    i = j;
  }
  return parts.length === 1 ? parts[0]! : concatBatches(parts);
}

type Arrow = typeof import('apache-arrow');
type ArrowBatch = ReturnType<typeof import('@genolake/core/arrow').toArrow>;

export class ArrowStreamOutput {
  private writer: InstanceType<Arrow['RecordBatchStreamWriter']> | undefined;
  private pump: Promise<void> | undefined;
  private toArrow: ((b: ColumnBatch) => ArrowBatch) | undefined;
  private written = 0;

  constructor(private readonly sink: ByteSink, private readonly fields: readonly string[]) {}

  private async start(): Promise<void> {
    if (this.writer) return;
    const [arrow, conv] = await Promise.all([import('apache-arrow'), import('@genolake/core/arrow')]);
    this.toArrow = conv.toArrow;
    const writer = (this.writer = new arrow.RecordBatchStreamWriter());
    this.pump = (async () => {
      for await (const bytes of writer) await this.sink.write(bytes);
    })();
    // Awaited in end(); this only keeps a failed sink from being an unhandled rejection meanwhile.
    this.pump.catch(() => undefined);
  }

  /** Appends the `rows` of a decoded chunk of reference `rname`. */
  async write(batch: ColumnBatch, rows: readonly number[], rname: string): Promise<void> {
    if (rows.length === 0) return;
    await this.start();
    const columns: Record<string, Column> = {};
    for (const f of this.fields) columns[f] = batch.columns[f]!;
    const taken = takeRows({ schema: batch.schema, length: batch.length, columns }, rows);
    this.writer!.write(this.toArrow!({ schema: pafSchema, length: taken.length, columns: { rname: repeated(rname, taken.length), ...taken.columns } }));
    this.written++;
  }

  /** Ends the stream; with no rows, writes the schema and an empty batch, so readers see the fields. */
  async end(): Promise<void> {
    if (this.written === 0) {
      const empty = createBatchBuilder(pafSchema).finish();
      await this.start();
      const columns: Record<string, Column> = { rname: repeated('', 0) };
      for (const f of this.fields) columns[f] = empty.columns[f]!;
      this.writer!.write(this.toArrow!({ schema: pafSchema, length: 0, columns }));
    }
    this.writer!.finish();
    await this.pump;
  }
}
