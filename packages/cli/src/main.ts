/**
 * `genolake` entry point: global options, plugin discovery, dispatch to a built-in or a
 * plugin command, and the one-line error contract (exit codes from GenolakeError.exitCode,
 * 2 for usage errors, a stack trace only with GENOLAKE_DEBUG=1).
 */
import { fileURLToPath } from 'node:url';
import {
  createHost, createLazyLoader, discoverPlugins, findProvider, InvalidArgumentError, PluginLoadError, type CommandIO, type CommandSpec, type DefaultHost,
} from '@genolake/core';
import { processIO, write } from './cli-io.js';
import type { Session } from './command.js';
import { BUILTIN_COMMANDS, topLevelHelp } from './help.js';
import { debugText, errorLine, exitCodeOf } from './report-error.js';
import { cliVersion } from './version.js';

export interface MainOptions {
  /** Working directory for relative paths and plugin discovery. Default: process.cwd(). */
  cwd?: string;
  /** Environment (GENOLAKE_PLUGINS, GENOLAKE_DEBUG). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Where the CLI is installed, searched for plugins too; null to skip. Default: this package. */
  installDir?: string | null;
  /**
   * Host to run on instead of a fresh createHost(): lets several runs in one process share
   * mem:// datasets. Its lazyLoader is replaced with one for the discovered plugins.
   */
  host?: DefaultHost;
  signal?: AbortSignal;
}

// When the CLI itself runs from TypeScript sources (vitest, tsx), plugins are loaded from
// theirs too, so a test never runs against a stale dist/; missing files fall through.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const CONDITIONS = FROM_SOURCE ? ['source', 'import', 'node', 'default'] : ['import', 'node', 'default'];

export async function main(argv: string[], io: CommandIO = processIO(), options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  try {
    const { plugins, rest } = extractGlobalOptions(argv);
    const [command, ...args] = rest;
    if (command === '--version' || command === '-V') {
      await write(io.stdout, `genolake ${cliVersion()}\n`);
      return 0;
    }
    const session = await createSession(io, env, plugins, options);
    if (command === undefined || command === '--help' || command === '-h') {
      await write(command === undefined ? io.stderr : io.stdout, topLevelHelp(session.manifests));
      return command === undefined ? 2 : 0;
    }
    if (command === 'help') return await showHelp(args[0], session);
    if (command.startsWith('-')) throw new InvalidArgumentError(`unknown option "${command}" (see genolake --help)`);
    const builtin = BUILTIN_COMMANDS.find((c) => c.name === command);
    if (builtin) {
      if (wantsHelp(args)) {
        await write(io.stdout, builtin.help);
        return 0;
      }
      return await builtin.run(args, session);
    }
    const spec = await findPluginCommand(command, session);
    if (wantsHelp(args.slice(0, 1))) {
      await write(io.stdout, spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
      return 0;
    }
    return await spec.run(args, { host: session.host, io, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (e) {
    io.stderr.write(`${errorLine(e)}\n`);
    if (env.GENOLAKE_DEBUG === '1') io.stderr.write(`${debugText(e)}\n`);
    return exitCodeOf(e);
  }
}

/** `--plugin X` / `--plugin=X` may appear anywhere before a `--`. */
function extractGlobalOptions(argv: string[]): { plugins: string[]; rest: string[] } {
  const plugins: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--plugin') {
      const v = argv[++i];
      if (v === undefined) throw new InvalidArgumentError('--plugin needs a package directory or name');
      plugins.push(v);
    } else if (a.startsWith('--plugin=')) plugins.push(a.slice('--plugin='.length));
    else rest.push(a);
  }
  return { plugins, rest };
}

function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

async function createSession(io: CommandIO, env: Record<string, string | undefined>, plugins: string[], options: MainOptions): Promise<Session> {
  const cwd = options.cwd ?? process.cwd();
  const installDir = options.installDir === undefined ? fileURLToPath(new URL('..', import.meta.url)) : options.installDir;
  const manifests = await discoverPlugins({ cwd, env, extra: plugins, roots: installDir ? [installDir] : [] });
  const host = options.host ?? (await createHost());
  host.lazyLoader = createLazyLoader(host, manifests, { conditions: CONDITIONS });
  return { host, manifests, io, env, cwd, ...(options.signal ? { signal: options.signal } : {}) };
}

async function findPluginCommand(name: string, session: Session): Promise<CommandSpec> {
  let spec = session.host.getCommand(name);
  if (!spec && session.host.lazyLoader) {
    await session.host.lazyLoader('command', name);
    spec = session.host.getCommand(name);
  }
  if (spec) return spec;
  const provider = findProvider(session.manifests, 'command', name);
  if (provider) {
    throw new PluginLoadError(`plugin ${provider.name}@${provider.version} declares the command "${name}" in its package.json but did not register it`);
  }
  throw new InvalidArgumentError(`unknown command "${name}" (see genolake --help for the commands installed)`);
}

async function showHelp(name: string | undefined, session: Session): Promise<number> {
  if (!name) {
    await write(session.io.stdout, topLevelHelp(session.manifests));
    return 0;
  }
  const builtin = BUILTIN_COMMANDS.find((c) => c.name === name);
  const help = builtin ? builtin.help : (await findPluginCommand(name, session)).help;
  await write(session.io.stdout, help.endsWith('\n') ? help : `${help}\n`);
  return 0;
}
