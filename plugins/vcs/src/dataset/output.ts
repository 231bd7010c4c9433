/** Query and export output: VCF text (as bcftools view prints it), BGZF VCF, or a count. */
import { InvalidArgumentError, type ByteSink, type Host, type ObjectStore, type QueryRequest, type QueryResult } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';
import { Writer } from '../io/writer.js';
import { VcsDataset } from './reader.js';

export const OUTPUT_FORMATS = ['vcf', 'vcf.gz'];

export interface RunQueryInput {
  host: Host;
  store: ObjectStore;
  output: ByteSink;
  request: QueryRequest;
  format: string;
  signal?: AbortSignal;
}

/** A sink that BGZF-compresses what it is given (bcftools/tabix read the result). */
function bgzfSink(sink: ByteSink): ByteSink {
  const w = new bgzf.Writer({ write: (b: Uint8Array) => sink.write(b) });
  return { name: sink.name, write: async (c) => { await w.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c); }, end: async () => { await w.end(); await sink.end(); } };
}

export async function runQuery(input: RunQueryInput): Promise<QueryResult> {
  const { request } = input;
  if (!OUTPUT_FORMATS.includes(input.format)) throw new InvalidArgumentError(`vcs writes ${OUTPUT_FORMATS.join(', ')}, not "${input.format}"`);
  if (request.where) throw new InvalidArgumentError('vcs: --where is not implemented yet; use regions and --samples');
  const ds = await VcsDataset.open(input.store, request.version);
  const columns = ds.sampleIndexes(request.samples);
  const sink = input.format === 'vcf.gz' ? bgzfSink(input.output) : input.output;
  const w = new Writer(sink, ds.header, request.samples ? columns : undefined);
  await w.writeHeader();
  const limit = request.limit ?? Infinity;
  let n = 0;
  outer: for await (const batch of ds.scan(input.store, input.host, {
    ...(request.regions ? { regions: request.regions } : {}), ...(request.samples ? { samples: request.samples } : {}), ...(input.signal ? { signal: input.signal } : {}),
  })) {
    for (const r of batch) {
      if (n >= limit) break outer;
      await w.write(r);
      n++;
    }
  }
  await w.end();
  return { records: n };
}
