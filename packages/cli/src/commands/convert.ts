/**
 * `genolake convert`: a legacy file (path, object URL or '-') into a dataset, through the
 * driver chosen by --format or by sniffing. Refuses to touch an existing dataset unless
 * --append (new version adding records) or --force (new version replacing them).
 */
import { AlreadyExistsError, Dataset, InvalidArgumentError } from '@genolake/core';
import { flag, keyValues, list, parseCommand, requirePositionals, str } from '../args.js';
import { formatBytes, write, writeJson } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { openDatasetStore } from '../dataset-store.js';
import { inputSource } from '../endpoints.js';
import { peekHead, selectDriver } from '../format-select.js';
import { createProgress } from '../progress.js';

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'convert a file (path, URL or -) into a dataset',
  help: `Usage: genolake convert <input> <dataset-url> [--format F] [--option k=v]... [--append | --force] [--json]

Reads <input> (a local path, an object URL, or - for stdin), converts it with the format's
driver and commits a new dataset version at <dataset-url> (a directory, file://, mem://,
s3://, az://, gs://). Nothing is visible until the commit succeeds.

Options:
  --format F        dataset format (driver) to use; default: recognised from the input's
                    suffix, then its first bytes
  --option k=v      a driver option (repeatable), e.g. --option chunkRecords=10000
  --append          add the records to an existing dataset as a new version
  --force           replace the contents of an existing dataset with a new version
                    (older versions stay readable until vacuum)
  --json            print the result as JSON
  -h, --help        this help
`,
  async run(argv, session) {
    const p = parseCommand('convert', argv, {
      format: { type: 'string', short: 'f' },
      option: { type: 'string', multiple: true, short: 'O' },
      append: { type: 'boolean' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [input, url] = requirePositionals(p, ['input', 'dataset-url'], 'convert');
    if (p.positionals.length > 2) throw new InvalidArgumentError(`convert: unexpected argument "${p.positionals[2]}"`);
    const append = flag(p, 'append');
    const force = flag(p, 'force');
    if (append && force) throw new InvalidArgumentError('convert: --append and --force exclude each other');
    const options = keyValues(list(p, 'option'), 'convert');

    const opened = await inputSource(session, input!);
    const { head, source } = await peekHead(opened);
    const driver = await selectDriver(session, source, head, str(p, 'format'));
    const store = await openDatasetStore(session, url!);

    const existing = await Dataset.latestVersion(store);
    if (existing > 0) {
      if (!append && !force) {
        throw new AlreadyExistsError(`a dataset already exists at ${store.url} (version ${existing}); use --append to add to it or --force to replace it`);
      }
      const ds = await Dataset.open(store, { version: existing });
      if (ds.format !== driver.name) {
        throw new InvalidArgumentError(`cannot ${append ? 'append' : 'write'} ${driver.name} records to ${store.url}: it is a ${ds.format} dataset`);
      }
    }
    // The mode travels in the driver options: drivers commit 'create', 'append' or 'replace'.
    options.mode = existing === 0 ? 'create' : append ? 'append' : 'replace';

    const size = source.size ? await source.size() : undefined;
    const progress = createProgress(session.io, `converting ${source.name}`);
    let result;
    try {
      result = await driver.convert({
        host: session.host,
        input: source,
        store,
        options,
        ...(progress ? { progress: { update: (d, t, l) => progress.update(d, t ?? size, l), done: () => progress.done() } } : {}),
        log: (m) => void session.io.stderr.write(`${m}\n`),
        ...(session.signal ? { signal: session.signal } : {}),
      });
    } finally {
      progress?.done();
    }
    if (flag(p, 'json')) {
      await writeJson(session.io.stdout, { dataset: store.url, format: driver.name, ...result });
    } else {
      await write(
        session.io.stdout,
        `${source.name} -> ${store.url} (${driver.name}): version ${result.version}, ${result.records} records in ${result.chunks} chunks, ${formatBytes(result.bytesWritten)} written\n`,
      );
    }
    return 0;
  },
};
