/** Test helpers: convert a file into an in-memory dataset and run queries on it. */
import { createHost, MemoryStore, withMetrics, type QueryRequest } from '@genolake/core';
import { fileSource } from '@genolake/bgzf-tabix';
import { convertVariants } from '../dataset/writer.js';
import { driver } from '../driver.js';
import { bufferSink } from './bcftools.js';

export async function memoryDataset(path: string, options: Record<string, unknown> = {}, store = new MemoryStore('mem://t')) {
  const host = await createHost();
  const warnings: string[] = [];
  const result = await convertVariants({ host, input: fileSource(path), store, options, log: (m) => warnings.push(m) });
  return { host, store, result, warnings };
}

export async function query(host: Awaited<ReturnType<typeof createHost>>, store: MemoryStore, request: QueryRequest) {
  const output = bufferSink();
  const metered = withMetrics(store);
  const result = await driver.query({ host, store: metered, request, output, log: () => undefined });
  return { text: output.text(), result, metrics: metered.metrics };
}
