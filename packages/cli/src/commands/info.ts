/** `genolake info`: what a dataset holds, from its manifest plus the driver's describe(). */
import { Dataset, type Manifest } from '@genolake/core';
import { flag, int, parseCommand, requirePositionals } from '../args.js';
import { formatBytes, table, write, writeJson } from '../cli-io.js';
import type { CliCommand, Session } from '../command.js';
import { openDatasetStore } from '../dataset-store.js';

export interface DatasetSummary {
  url: string;
  format: string;
  formatVersion: string;
  version: number;
  createdAt: string;
  chunks: number;
  records: number;
  bytes: number;
  partitions: { name: string; chunks: number; records: number; bytes: number }[];
  indexes: { name: string; kind: string; bytes: number }[];
  provenance: Manifest['provenance'];
  driver?: Record<string, unknown>;
  driverNote?: string;
}

export function summarise(url: string, m: Manifest): DatasetSummary {
  const parts = new Map<string, { name: string; chunks: number; records: number; bytes: number }>();
  for (const c of m.chunks) {
    const p = parts.get(c.partition) ?? { name: c.partition, chunks: 0, records: 0, bytes: 0 };
    p.chunks++;
    if (c.columnsOf === undefined) p.records += c.records; // more columns of rows counted elsewhere
    p.bytes += c.size;
    parts.set(c.partition, p);
  }
  return {
    url,
    format: m.format,
    formatVersion: m.formatVersion,
    version: m.version,
    createdAt: m.createdAt,
    chunks: m.chunks.length,
    records: m.chunks.reduce((n, c) => n + (c.columnsOf === undefined ? c.records : 0), 0),
    bytes: m.chunks.reduce((n, c) => n + c.size, 0) + m.indexes.reduce((n, i) => n + i.size, 0),
    partitions: [...parts.values()],
    indexes: m.indexes.map((i) => ({ name: i.name, kind: i.kind, bytes: i.size })),
    provenance: m.provenance,
  };
}

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'show a dataset: format, version, chunks, records, bytes, partitions, provenance',
  help: `Usage: genolake info <dataset-url> [--version N] [--json]

Prints the dataset's format, version, chunk/record/byte totals, partitions, indexes, where
the data came from (provenance), and what the format's driver adds (describe()).

Options:
  --version N  describe an older version (time travel)
  --json       machine-readable output
  -h, --help   this help
`,
  async run(argv, session: Session) {
    const p = parseCommand('info', argv, { json: { type: 'boolean' }, version: { type: 'string' } });
    const [url] = requirePositionals(p, ['dataset-url'], 'info');
    const version = int(p, 'version', 'info');
    const store = await openDatasetStore(session, url!, { readOnly: true });
    const ds = await Dataset.open(store, version !== undefined ? { version } : {});
    const s = summarise(store.url, ds.manifest);
    try {
      const driver = await session.host.resolveDriver(ds.format);
      if (driver.describe) s.driver = driver.describe(ds.manifest);
    } catch (e) {
      // info still works without the format's plugin: the manifest is self-describing.
      s.driverNote = e instanceof Error ? e.message : String(e);
    }
    if (flag(p, 'json')) {
      await writeJson(session.io.stdout, s);
      return 0;
    }
    const rows: string[][] = [
      ['dataset', s.url],
      ['format', `${s.format} ${s.formatVersion}`],
      ['version', `${s.version} (${s.createdAt})`],
      ['chunks', String(s.chunks)],
      ['records', s.records.toLocaleString('en-US')],
      ['bytes', `${s.bytes} (${formatBytes(s.bytes)})`],
      ['partitions', String(s.partitions.length)],
    ];
    let out = `${table(rows)}\n`;
    if (s.partitions.length) {
      out += `\nPartitions:\n${indent(table([['name', 'chunks', 'records', 'bytes'], ...s.partitions.map((x) => [x.name, String(x.chunks), String(x.records), String(x.bytes)])]))}\n`;
    }
    if (s.indexes.length) out += `\nIndexes:\n${indent(table(s.indexes.map((i) => [i.name, i.kind, String(i.bytes)])))}\n`;
    if (s.provenance.length) {
      out += `\nProvenance:\n${indent(table(s.provenance.map((pr, i) => [`[${i}]`, pr.source ?? '-', `${pr.tool} ${pr.toolVersion}`, pr.createdAt, pr.sourceDigest ?? ''])))}\n`;
    }
    if (s.driver) out += `\nDriver (${s.format}):\n${indent(table(Object.entries(s.driver).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])))}\n`;
    if (s.driverNote) out += `\nDriver: not loaded (${s.driverNote})\n`;
    await write(session.io.stdout, out);
    return 0;
  },
};

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
