/**
 * Plugin discovery: finds installed plugins by reading package.json files only, so listing
 * plugins never runs plugin code and a broken plugin cannot break unrelated commands
 * (style rule 8). `createLazyLoader` then imports exactly the one plugin a command needs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GenolakeError, IncompatiblePluginError, InputError, InvalidArgumentError, NotFoundError } from '../errors.js';
import type { DefaultHost } from './host.js';
import { scanNodeModules } from './discovery-cache.js';
import { PLUGIN_API_VERSION, type Plugin } from './types.js';

export type PluginKind = 'scheme' | 'format' | 'command' | 'codec';

/** What a plugin's package.json declares about it, read without importing its code. */
export interface PluginManifest {
  name: string;
  version: string;
  /** Package directory (absolute). */
  dir: string;
  apiVersion: number;
  /** Export subpath ('.', './plugin') or relative file path of the module to import. */
  entry: string;
  description?: string;
  /** What it provides: 'driver', 'store', 'codec', 'command'. */
  kinds: string[];
  formats: string[];
  suffixes: string[];
  schemes: string[];
  codecs: string[];
  commands: string[];
  source: 'node_modules' | 'env' | 'flag';
}

export interface DiscoverOptions {
  /** Directory whose node_modules (and its parents') are searched. Default: process.cwd(). */
  cwd?: string;
  /** Environment holding GENOLAKE_PLUGINS. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** `--plugin` values: package directories or package names. */
  extra?: string[];
  /** More start directories, e.g. the CLI's own installation. */
  roots?: string[];
  /**
   * Reuse the last scan of each node_modules directory while nothing in it changed, kept in
   * `<node_modules>/.cache/genolake/` (see discovery-cache.ts). Default false: every call
   * scans. The CLI turns it on, because reading every package.json of a big node_modules
   * costs 20-60 ms of each command.
   */
  cache?: boolean;
}

/**
 * Finds plugins: `--plugin` values first, then GENOLAKE_PLUGINS (':'-separated), then every
 * node_modules visible from cwd and the extra roots (nearest first). When two packages with
 * the same name are found, the first wins, so an explicit choice overrides an installed one.
 */
export async function discoverPlugins(options: DiscoverOptions = {}): Promise<PluginManifest[]> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const found = new Map<string, PluginManifest>();
  const add = (m: PluginManifest | undefined): void => {
    if (m && !found.has(m.name)) found.set(m.name, m);
  };
  const dirsFromCwd = nodeModulesDirs([cwd, ...(options.roots ?? [])]);
  for (const spec of options.extra ?? []) add(explicit(spec, cwd, dirsFromCwd, 'flag'));
  for (const spec of (env.GENOLAKE_PLUGINS ?? '').split(':').filter(Boolean)) add(explicit(spec, cwd, dirsFromCwd, 'env'));
  for (const nm of dirsFromCwd) for (const m of scanNodeModules(nm, options.cache === true, fromNodeModules)) add(m);
  return [...found.values()];
}

/** node_modules directories from each root up to the filesystem root, without repeats. */
function nodeModulesDirs(roots: string[]): string[] {
  const out: string[] = [];
  for (const root of roots) {
    for (let dir = resolve(root); ; dir = dirname(dir)) {
      const nm = join(dir, 'node_modules');
      if (!out.includes(nm) && isDir(nm)) out.push(nm);
      if (dirname(dir) === dir) break;
    }
  }
  return out;
}

/** A --plugin or GENOLAKE_PLUGINS value: a path to a package directory, or a package name. */
function explicit(spec: string, cwd: string, nodeModules: string[], source: 'env' | 'flag'): PluginManifest {
  const looksLikePath = spec.startsWith('.') || isAbsolute(spec) || spec.includes('\\');
  const candidates = looksLikePath ? [resolve(cwd, spec)] : [resolve(cwd, spec), ...nodeModules.map((nm) => join(nm, spec))];
  for (const dir of candidates) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const m = readManifest(dir, source, true);
    if (m) return m;
  }
  throw new NotFoundError(`plugin "${spec}" not found: no package.json in a directory of that name or in node_modules`);
}

function readManifest(dir: string, source: PluginManifest['source'], required: boolean): PluginManifest | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch (e) {
    if (!required) return undefined;
    throw new InputError(`cannot read ${join(dir, 'package.json')}: ${(e as Error).message}`, { cause: e });
  }
  return manifestFromText(text, dir, source, required);
}

const fromNodeModules = (text: string, dir: string): PluginManifest | undefined => manifestFromText(text, dir, 'node_modules', false);

/**
 * The manifest in a package.json's text, or undefined when it is not a plugin (unless
 * `required`, which makes that an error). Both markers, the `"genolake"` field and the
 * `"genolake-plugin"` keyword, contain the text `"genolake`: a package.json without it is
 * not parsed at all, which makes a scan of a big node_modules about three times cheaper.
 */
function manifestFromText(text: string, dir: string, source: PluginManifest['source'], required: boolean): PluginManifest | undefined {
  if (!required && !text.includes('"genolake')) return undefined;
  let pkg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) throw new Error('not a JSON object');
    pkg = parsed;
  } catch (e) {
    if (!required) return undefined;
    throw new InputError(`cannot read ${join(dir, 'package.json')}: ${(e as Error).message}`, { cause: e });
  }
  const field = pkg.genolake;
  const keywords = Array.isArray(pkg.keywords) ? pkg.keywords : [];
  if (!isObject(field) && !keywords.includes('genolake-plugin')) {
    if (required) throw new InvalidArgumentError(`${String(pkg.name ?? dir)} is not a genolake plugin (no "genolake" field in package.json)`);
    return undefined;
  }
  const g: Record<string, unknown> = isObject(field) ? field : {};
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    name: typeof pkg.name === 'string' ? pkg.name : dir,
    version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    dir,
    apiVersion: typeof g.apiVersion === 'number' ? g.apiVersion : PLUGIN_API_VERSION,
    entry: typeof g.entry === 'string' ? g.entry : '.',
    ...(typeof pkg.description === 'string' ? { description: pkg.description } : {}),
    kinds: strings(g.kinds),
    formats: strings(g.formats),
    suffixes: strings(g.suffixes),
    schemes: strings(g.schemes),
    codecs: strings(g.codecs),
    commands: strings(g.commands),
    source,
  };
}

/** The manifest that declares `name` for `kind`, first match in discovery order. */
export function findProvider(manifests: readonly PluginManifest[], kind: PluginKind, name: string): PluginManifest | undefined {
  const key = kind === 'scheme' ? name.toLowerCase() : name;
  return manifests.find((m) => {
    if (kind === 'format') return m.formats.includes(key);
    if (kind === 'scheme') return m.schemes.map((s) => s.toLowerCase()).includes(key);
    if (kind === 'command') return m.commands.includes(key);
    return m.codecs.includes(key);
  });
}

export interface LazyLoaderOptions {
  /** Export conditions tried in order when resolving a plugin's entry. */
  conditions?: string[];
}

/** Thrown when a plugin package is found but its module cannot be loaded or is not a plugin. */
export class PluginLoadError extends GenolakeError {
  readonly code = 'PLUGIN_LOAD_FAILED';
}

/**
 * The function for `DefaultHost.lazyLoader`: imports only the plugin that declares the asked
 * scheme/format/command/codec and `use()`s it. Returns false when no manifest declares it.
 */
export function createLazyLoader(
  host: DefaultHost,
  manifests: readonly PluginManifest[],
  options: LazyLoaderOptions = {},
): (kind: PluginKind, name: string) => Promise<boolean> {
  const loaded = new Map<string, Promise<void>>();
  return async (kind, name) => {
    const m = findProvider(manifests, kind, name);
    if (!m) return false;
    let p = loaded.get(m.name);
    if (!p) loaded.set(m.name, (p = loadPlugin(host, m, options)));
    await p;
    return true;
  };
}

/** Imports one plugin package and registers it with the host (refusing a wrong API version first). */
export async function loadPlugin(host: DefaultHost, m: PluginManifest, options: LazyLoaderOptions = {}): Promise<void> {
  if (m.apiVersion !== host.apiVersion) {
    throw new IncompatiblePluginError(
      `plugin ${m.name}@${m.version} targets plugin API v${m.apiVersion}, but this genolake core provides v${host.apiVersion}; ` +
        `install a version of ${m.name} built for API v${host.apiVersion}`,
    );
  }
  const file = resolveEntry(m, options.conditions ?? ['import', 'node', 'default']);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new PluginLoadError(`plugin ${m.name}@${m.version} failed to load from ${file}: ${why}`, { cause: e });
  }
  let plugin = mod.default;
  if (typeof plugin === 'function') plugin = await (plugin as () => unknown)();
  if (!isObject(plugin) || typeof plugin.setup !== 'function' || typeof plugin.name !== 'string') {
    throw new PluginLoadError(
      `plugin ${m.name}@${m.version}: the default export of ${file} is not a genolake plugin (expected { name, apiVersion, setup } or a factory returning one)`,
    );
  }
  await host.use(plugin as unknown as Plugin);
}

/** Resolves the manifest entry through the package's `exports` map, skipping missing files. */
export function resolveEntry(m: PluginManifest, conditions: string[]): string {
  const pkg = JSON.parse(readFileSync(join(m.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const sub = m.entry === '.' || m.entry.startsWith('./') ? m.entry : `./${m.entry}`;
  const targets: string[] = [];
  const exp = pkg.exports;
  if (exp !== undefined) {
    const map = isObject(exp) && Object.keys(exp).some((k) => k.startsWith('.')) ? exp : { '.': exp };
    collectTargets(map[sub], conditions, targets);
  }
  if (sub === '.' && typeof pkg.main === 'string') targets.push(pkg.main);
  if (sub !== '.') targets.push(sub);
  for (const t of targets) {
    const file = resolve(m.dir, t);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  throw new PluginLoadError(
    `plugin ${m.name}@${m.version}: entry "${m.entry}" does not resolve to a file in ${m.dir}` +
      (targets.length ? ` (tried ${targets.join(', ')}; is the package built?)` : ''),
  );
}

function collectTargets(node: unknown, conditions: string[], out: string[]): void {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const n of node) collectTargets(n, conditions, out);
  else if (isObject(node)) for (const c of conditions) if (c in node) collectTargets(node[c], conditions, out);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
