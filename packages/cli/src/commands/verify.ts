/**
 * `genolake verify`: every listed object exists with its size and sha256 digest, and every
 * chunk container decodes with valid stream CRCs. One line per problem naming the object;
 * exit code 3 when anything is wrong.
 */
import { Dataset, verifyDataset } from '@genolake/core';
import { flag, int, parseCommand, requirePositionals } from '../args.js';
import { formatBytes, write, writeJson } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { openDatasetStore } from '../dataset-store.js';
import { chunkDeepCheck } from '../deep-check.js';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check digests and stream checksums of every object (exit 3 on damage)',
  help: `Usage: genolake verify <dataset-url> [--all] [--version N] [--json]

Reads every object the newest version lists (or every stored version with --all), checks
its size and sha256 digest against the manifest and, for chunk containers, each stream's
CRC32C. Prints one line per problem naming the object and exits with code 3 if any.

Options:
  --all        verify every stored version, not only the newest
  --version N  verify one older version
  --json       machine-readable report
  -h, --help   this help
`,
  async run(argv, session) {
    const p = parseCommand('verify', argv, { all: { type: 'boolean' }, version: { type: 'string' }, json: { type: 'boolean' } });
    const [url] = requirePositionals(p, ['dataset-url'], 'verify');
    const version = int(p, 'version', 'verify');
    const store = await openDatasetStore(session, url!, { readOnly: true });
    // The format's plugin registers its codecs (paf's nametok, qualrans…): without them every
    // chunk would read as corrupt. A format with no installed plugin still gets digest checks.
    try {
      await session.host.resolveDriver((await Dataset.open(store, version !== undefined ? { version } : {})).format);
    } catch {
      /* no plugin for the format, or no readable manifest: verifyDataset reports what it finds */
    }
    const report = await verifyDataset(store, {
      all: flag(p, 'all'),
      ...(version !== undefined ? { version } : {}),
      deepCheck: chunkDeepCheck(session.host),
      ...(session.signal ? { signal: session.signal } : {}),
    });
    const ok = report.problems.length === 0;
    if (flag(p, 'json')) await writeJson(session.io.stdout, { ok, ...report });
    else {
      const versions = report.versions.length > 1 ? `versions ${report.versions.join(', ')}` : `version ${report.version}`;
      for (const pr of report.problems) await write(session.io.stderr, `genolake: ${pr.kind}: ${pr.key}: ${pr.message}\n`);
      await write(
        session.io.stdout,
        ok
          ? `ok: ${report.objects} objects (${formatBytes(report.bytes)}) of ${versions} verified\n`
          : `FAILED: ${report.problems.length} problem(s) in ${report.objects} objects of ${versions}\n`,
      );
    }
    return ok ? 0 : 3;
  },
};
