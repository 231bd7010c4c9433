/** `genolake vacuum`: drop old versions and the objects no retained version references. */
import { vacuum } from '@genolake/core';
import { flag, int, parseCommand, parseDuration, requirePositionals, str } from '../args.js';
import { formatBytes, write, writeJson } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { openDatasetStore } from '../dataset-store.js';

export const vacuumCommand: CliCommand = {
  name: 'vacuum',
  summary: 'delete old versions and unreferenced objects (--dry-run to preview)',
  help: `Usage: genolake vacuum <dataset-url> [--retain N] [--older-than 7d] [--grace 1h] [--dry-run] [--json]

Removes manifest versions that are both beyond the newest N and older than the age given,
then every object that no retained version references. Time travel to removed versions
stops working. Unreferenced objects younger than the grace period are kept, because they
may belong to a writer that has not committed yet.

Options:
  --retain N          keep at least the newest N versions (default 1)
  --older-than DUR    only remove versions older than this (default 7d; units s m h d w)
  --grace DUR         keep unreferenced objects younger than this (default 1h)
  --dry-run           list what would be deleted, delete nothing
  --json              machine-readable output
  -h, --help          this help
`,
  async run(argv, session) {
    const p = parseCommand('vacuum', argv, {
      retain: { type: 'string' },
      'older-than': { type: 'string' },
      grace: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [url] = requirePositionals(p, ['dataset-url'], 'vacuum');
    const retainVersions = int(p, 'retain', 'vacuum');
    const olderThan = str(p, 'older-than');
    const grace = str(p, 'grace');
    const dryRun = flag(p, 'dry-run');
    const store = await openDatasetStore(session, url!);
    const result = await vacuum(store, {
      dryRun,
      ...(retainVersions !== undefined ? { retainVersions } : {}),
      ...(olderThan !== undefined ? { retainMs: parseDuration(olderThan, 'vacuum --older-than') } : {}),
      ...(grace !== undefined ? { graceMs: parseDuration(grace, 'vacuum --grace') } : {}),
      ...(session.signal ? { signal: session.signal } : {}),
    });
    if (flag(p, 'json')) {
      await writeJson(session.io.stdout, { dryRun, ...result });
      return 0;
    }
    const verb = dryRun ? 'would delete' : 'deleted';
    let out = '';
    for (const d of result.deleted) out += `${verb} ${d.key} (${d.size} bytes)\n`;
    out += `${dryRun ? 'dry run: ' : ''}${verb} ${result.deleted.length} object(s), ${formatBytes(result.bytes)}; retained versions: ${result.retainedVersions.join(', ')}\n`;
    await write(session.io.stdout, out);
    return 0;
  },
};
