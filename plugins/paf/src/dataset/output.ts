/**
 * Query and export output: SAM text (as samtools view prints it), BAM (BGZF), or JSON lines of
 * the projected fields. `-c` counts; `-h`/`-H` control the header as in samtools view.
 */
import { InvalidArgumentError, type BinaryColumn, type ByteSink, type ColumnBatch, type ExplainReport, type Host, type ListColumn, type NumericColumn, type ObjectStore, type QueryRequest, type QueryResult } from '@genolake/core';
import { formatAux } from '../aux.js';
import { CIGAR_OPS } from '../cigar.js';
import { Writer as BamWriter } from '../bam/writer.js';
import { formatRecord } from '../sam/writer.js';
import { RecordAssembler } from './columns.js';
import { PafDataset, type ScanOptions } from './reader.js';
import { FIELDS } from './schema.js';

export const OUTPUT_FORMATS = ['sam', 'bam', 'jsonl'];

export interface OutputOptions {
  format: string;
  /** SAM: print the header before the records (-h). */
  header?: boolean;
  /** Print only the header (-H). */
  headerOnly?: boolean;
  /** Print only the number of matching records (-c). */
  count?: boolean;
  /** BAM: compression threads. */
  threads?: number;
}

const latin1 = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');

function jsonRow(batch: ColumnBatch, i: number, fields: readonly string[], contig: string): string {
  const c = batch.columns;
  const o: Record<string, unknown> = { rname: contig };
  for (const f of fields) {
    const col = c[f]!;
    if (f === 'cigar') {
      const l = col as ListColumn;
      const ops = (l.child as NumericColumn).values;
      let s = '';
      for (let k = l.offsets[i]!; k < l.offsets[i + 1]!; k++) s += `${(ops[k] as number) >>> 4}${CIGAR_OPS[(ops[k] as number) & 15]}`;
      o.cigar = s || '*';
    } else if (col.kind === 'string' || col.kind === 'bytes') {
      const b = col as BinaryColumn;
      const a = b.offsets[i]!, z = b.offsets[i + 1]!;
      if (f === 'qual') o.qual = z === a || b.data[a] === 0xff ? '*' : Array.from(b.data.subarray(a, z), (q) => String.fromCharCode(q + 33)).join('');
      else if (f === 'aux') o.aux = formatAux(b.data.subarray(a, z));
      else o[f] = latin1(b.data, a, z) || '*';
    } else o[f] = (col as NumericColumn).values[i] as number;
  }
  return JSON.stringify(o);
}

export interface RunQueryInput {
  host: Host;
  store: ObjectStore;
  output: ByteSink;
  request: QueryRequest;
  scan: ScanOptions;
  out: OutputOptions;
  signal?: AbortSignal;
}

export async function runQuery(input: RunQueryInput): Promise<QueryResult & { explain?: ExplainReport }> {
  const { out, scan } = input;
  if (!OUTPUT_FORMATS.includes(out.format)) throw new InvalidArgumentError(`paf writes ${OUTPUT_FORMATS.join(', ')}, not "${out.format}"`);
  if (scan.fields && out.format !== 'jsonl' && !out.count) throw new InvalidArgumentError('--fields projects JSON lines output; add --output-format jsonl (SAM and BAM need every field)');
  const ds = await PafDataset.open(input.store, input.request.version);
  if (input.request.explain) return { records: 0, explain: ds.explain(scan) };
  const names = ds.header.names;
  const limit = input.request.limit ?? Infinity;
  let n = 0;
  if (out.count) {
    // Counting decodes only the streams the filters need.
    const counting: ScanOptions = { ...scan, fields: [] };
    for await (const s of ds.scan(input.store, input.host, { ...counting, ...(input.signal ? { signal: input.signal } : {}) })) n += s.rows.length;
    n = Math.min(n, limit);
    await input.output.write(`${n}\n`);
    return { records: n };
  }
  let bam: BamWriter | undefined;
  if (out.format === 'bam') {
    bam = new BamWriter(input.output, { threads: out.threads ?? 2 });
    await bam.writeHeader(ds.header);
  } else if ((out.header || out.headerOnly) && out.format === 'sam') await input.output.write(ds.header.samText());
  if (!out.headerOnly) {
    const fields = scan.fields ?? FIELDS;
    outer: for await (const s of ds.scan(input.store, input.host, { ...scan, ...(input.signal ? { signal: input.signal } : {}) })) {
      const contig = s.refId >= 0 ? names[s.refId]! : '*';
      const asm = out.format === 'jsonl' ? undefined : new RecordAssembler(s.batch, s.refId);
      let text = '';
      for (const i of s.rows) {
        if (n >= limit) break;
        n++;
        if (asm && bam) await bam.write(asm.record(i));
        else if (asm) text += `${formatRecord(asm.record(i), names)}\n`;
        else text += `${jsonRow(s.batch, i, fields, contig)}\n`;
        if (text.length > 1 << 20) {
          await input.output.write(text);
          text = '';
        }
      }
      if (text) await input.output.write(text);
      if (n >= limit) break outer;
    }
  }
  if (bam) await bam.end();
  return { records: n };
}
