/** `genolake log`: the dataset's versions, newest first. */
import { Dataset, type Manifest } from '@genolake/core';
import { flag, int, parseCommand, requirePositionals } from '../args.js';
import { table, write, writeJson } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { openDatasetStore } from '../dataset-store.js';

export interface LogEntry {
  version: number;
  time: string;
  operation: string;
  summary?: string;
  chunksAdded: number;
  chunksRemoved: number;
  records: number;
  chunks: number;
}

/** One entry per version; added/removed are computed against the parent's chunk keys. */
export function logEntries(versions: Manifest[]): LogEntry[] {
  return versions.map((m, i) => {
    const parent = versions[i + 1];
    const before = new Set(parent && parent.version === m.parent ? parent.chunks.map((c) => c.key) : []);
    const after = new Set(m.chunks.map((c) => c.key));
    const added = m.chunks.filter((c) => (c.addedIn !== undefined ? c.addedIn === m.version : !before.has(c.key))).length;
    const removed = parent && parent.version === m.parent ? [...before].filter((k) => !after.has(k)).length : 0;
    return {
      version: m.version,
      time: m.createdAt,
      operation: m.operation.kind,
      ...(m.operation.summary ? { summary: m.operation.summary } : {}),
      chunksAdded: added,
      chunksRemoved: removed,
      records: m.chunks.reduce((n, c) => n + c.records, 0),
      chunks: m.chunks.length,
    };
  });
}

export const logCommand: CliCommand = {
  name: 'log',
  summary: 'list dataset versions, newest first',
  help: `Usage: genolake log <dataset-url> [--limit N] [--json]

One line per version, newest first: version, time, operation, chunks added and removed,
total records. Versions removed by vacuum end the list.

Options:
  --limit N    show at most N versions
  --json       machine-readable output
  -h, --help   this help
`,
  async run(argv, session) {
    const p = parseCommand('log', argv, { json: { type: 'boolean' }, limit: { type: 'string' } });
    const [url] = requirePositionals(p, ['dataset-url'], 'log');
    const limit = int(p, 'limit', 'log') ?? Infinity;
    const store = await openDatasetStore(session, url!, { readOnly: true });
    const ds = await Dataset.open(store);
    const versions: Manifest[] = [];
    // One extra version so the last shown one can be diffed against its parent.
    for await (const m of ds.log()) {
      versions.push(m);
      if (versions.length > limit) break;
    }
    const entries = logEntries(versions).slice(0, limit);
    if (flag(p, 'json')) {
      await writeJson(session.io.stdout, entries);
      return 0;
    }
    const rows = [['version', 'time', 'operation', 'added', 'removed', 'records'], ...entries.map((e) => [
      String(e.version), e.time, e.summary ? `${e.operation}: ${e.summary}` : e.operation, `+${e.chunksAdded}`, `-${e.chunksRemoved}`, String(e.records),
    ])];
    await write(session.io.stdout, `${table(rows)}\n`);
    return 0;
  },
};
