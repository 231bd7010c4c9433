/**
 * `genolake` entry point: global options, plugin discovery, dispatch to a built-in or a
 * plugin command, and the one-line error contract (exit codes from GenolakeError.exitCode,
 * 2 for usage errors, a stack trace only with GENOLAKE_DEBUG=1).
 */
import { fileURLToPath } from 'node:url';
import type { CommandIO, CommandSpec, DefaultHost } from '@genolake/core';
import { findBuiltin, topLevelHelp } from './catalog.js';
import { processIO, write } from './cli-io.js';
import type { Session } from './command.js';
import { debugText, errorLine, exitCodeOf } from './report-error.js';
import { startTiming, type Timing } from './timing.js';
import { cliVersion } from './version.js';

/**
 * Start-up is paid by every command, so nothing is loaded before it is needed: `--version`
 * loads no core at all, core is imported once the command is known, a built-in command's
 * module only when it runs, a plugin only when a command needs it.
 */
type Core = typeof import('@genolake/core');

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
  const timing = startTiming(env, io.stderr);
  try {
    return await run(argv, io, env, options, timing);
  } catch (e) {
    io.stderr.write(`${errorLine(e)}\n`);
    if (env.GENOLAKE_DEBUG === '1') io.stderr.write(`${debugText(e)}\n`);
    return exitCodeOf(e);
  } finally {
    timing?.report();
  }
}

async function run(argv: string[], io: CommandIO, env: Record<string, string | undefined>, options: MainOptions, timing: Timing | undefined): Promise<number> {
  const { plugins, rest, usageError } = extractGlobalOptions(argv);
  const [command, ...args] = rest;
  if (!usageError && (command === '--version' || command === '-V')) {
    await write(io.stdout, `genolake ${cliVersion()}\n`);
    return 0;
  }
  const core = await import('@genolake/core');
  timing?.mark('core');
  if (usageError) throw new core.InvalidArgumentError(usageError);
  const session = await createSession(core, io, env, plugins, options, timing);
  if (command === undefined || command === '--help' || command === '-h') {
    await write(command === undefined ? io.stderr : io.stdout, topLevelHelp(session.manifests));
    return command === undefined ? 2 : 0;
  }
  if (command === 'help') return await showHelp(core, args[0], session);
  if (command.startsWith('-')) throw new core.InvalidArgumentError(`unknown option "${command}" (see genolake --help)`);
  const entry = findBuiltin(command);
  if (entry) {
    const builtin = await entry.load();
    if (wantsHelp(args)) {
      await write(io.stdout, builtin.help);
      return 0;
    }
    return await finish(timing, builtin.run(args, session));
  }
  const spec = await findPluginCommand(core, command, session);
  // `-h` then anything else is the command's own option (samtools view's -h in paf-query).
  if (args[0] === '--help' || (args[0] === '-h' && args.length === 1)) {
    await write(io.stdout, spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
    return 0;
  }
  return await finish(timing, spec.run(args, { host: session.host, io, env: session.env, ...(options.signal ? { signal: options.signal } : {}) }));
}

async function finish(timing: Timing | undefined, running: Promise<number>): Promise<number> {
  try {
    return await running;
  } finally {
    timing?.mark('command');
  }
}

/** `--plugin X` / `--plugin=X` may appear anywhere before a `--`. A usage error is returned, not thrown (core, which holds the error classes, is not loaded yet). */
function extractGlobalOptions(argv: string[]): { plugins: string[]; rest: string[]; usageError?: string } {
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
      if (v === undefined) return { plugins, rest, usageError: '--plugin needs a package directory or name' };
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

async function createSession(
  core: Core,
  io: CommandIO,
  env: Record<string, string | undefined>,
  plugins: string[],
  options: MainOptions,
  timing: Timing | undefined,
): Promise<Session> {
  const cwd = options.cwd ?? process.cwd();
  const installDir = options.installDir === undefined ? fileURLToPath(new URL('..', import.meta.url)) : options.installDir;
  const manifests = await core.discoverPlugins({
    cwd, env, extra: plugins, roots: installDir ? [installDir] : [], cache: env.GENOLAKE_PLUGIN_CACHE !== '0',
  });
  timing?.mark('discovery');
  const host: DefaultHost = options.host ?? (await core.createHost());
  const load = core.createLazyLoader(host, manifests, { conditions: CONDITIONS });
  host.lazyLoader = timing ? (kind, name) => timing.span('plugins', () => load(kind, name)) : load;
  timing?.mark('host');
  return { host, manifests, io, env, cwd, ...(options.signal ? { signal: options.signal } : {}) };
}

async function findPluginCommand(core: Core, name: string, session: Session): Promise<CommandSpec> {
  let spec = session.host.getCommand(name);
  if (!spec && session.host.lazyLoader) {
    await session.host.lazyLoader('command', name);
    spec = session.host.getCommand(name);
  }
  if (spec) return spec;
  const provider = core.findProvider(session.manifests, 'command', name);
  if (provider) {
    throw new core.PluginLoadError(`plugin ${provider.name}@${provider.version} declares the command "${name}" in its package.json but did not register it`);
  }
  throw new core.InvalidArgumentError(`unknown command "${name}" (see genolake --help for the commands installed)`);
}

async function showHelp(core: Core, name: string | undefined, session: Session): Promise<number> {
  if (!name) {
    await write(session.io.stdout, topLevelHelp(session.manifests));
    return 0;
  }
  const entry = findBuiltin(name);
  const help = entry ? (await entry.load()).help : (await findPluginCommand(core, name, session)).help;
  await write(session.io.stdout, help.endsWith('\n') ? help : `${help}\n`);
  return 0;
}
