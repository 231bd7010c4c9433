/** Test helpers: convert a file into an in-memory dataset and run queries on it. */
import { createHost, MemoryStore, withMetrics, type ByteSink, type QueryRequest } from '@genolake/core';
import { fileSource } from '@genolake/bgzf-tabix';
import { convertAlignments } from '../dataset/writer.js';
import { driver } from '../driver.js';

export async function memoryDataset(path: string, options: Record<string, unknown> = {}, store = new MemoryStore('mem://t')) {
  const host = await createHost();
  const result = await convertAlignments({ host, input: fileSource(path), store, options: { mode: 'create', ...options }, log: () => undefined });
  return { host, store, result };
}

export function bufferSink(): ByteSink & { bytes(): Buffer; text(): string } {
  const parts: Buffer[] = [];
  return {
    name: 'buffer',
    async write(c) { parts.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : Buffer.from(c)); },
    async end() {},
    bytes: () => Buffer.concat(parts),
    text: () => Buffer.concat(parts).toString('latin1'),
  };
}

export async function query(host: Awaited<ReturnType<typeof createHost>>, store: MemoryStore, request: QueryRequest) {
  const output = bufferSink();
  const metered = withMetrics(store);
  const result = await driver.query({ host, store: metered, request, output, log: () => undefined });
  return { text: output.text(), bytes: output.bytes(), result, metrics: metered.metrics };
}
