import { IncompatiblePluginError, InvalidArgumentError, NotFoundError, PluginNotInstalledError } from '../errors.js';
import type { Codec } from '../codec/types.js';
import type { ObjectStore, StoreHandler, StoreOptions } from '../store/types.js';
import { PLUGIN_API_VERSION, type CommandSpec, type FormatDriver, type Host, type Plugin } from './types.js';

/** Packages that provide well-known URL schemes, for "install X" hints. */
export const KNOWN_SCHEME_PROVIDERS: Record<string, string> = {
  s3: '@genolake/store-s3',
  's3+http': '@genolake/store-s3',
  's3+https': '@genolake/store-s3',
  az: '@genolake/store-azure',
  gs: '@genolake/store-gcs',
  http: '@genolake/store-http',
  https: '@genolake/store-http',
};

/** Packages that provide well-known dataset formats. */
export const KNOWN_FORMAT_PROVIDERS: Record<string, string> = {
  paf: '@genolake/paf',
  vcs: '@genolake/vcs',
  srf: '@genolake/srf',
  ram: '@genolake/ram',
  pod5: '@genolake/pod5',
  'bgzf-tabix': '@genolake/bgzf-tabix',
};

const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Splits a store URL into scheme and URL; plain paths become file URLs. */
export function parseStoreUrl(url: string): { scheme: string; url: URL } {
  const m = SCHEME_RE.exec(url);
  if (!m) {
    if (!url) throw new InvalidArgumentError('empty store URL or path');
    return { scheme: 'file', url: new URL(`file://${encodePath(resolvePath(url))}`) };
  }
  const scheme = m[1]!.toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new InvalidArgumentError(`bad URL "${url}"`, { cause: e });
  }
  return { scheme, url: parsed };
}

function resolvePath(p: string): string {
  // Imported lazily so the host stays loadable where there is no node:path (browser builds).
  const cwd = typeof process !== 'undefined' ? process.cwd() : '/';
  if (p.startsWith('/')) return normalise(p);
  return normalise(`${cwd}/${p}`);
}

function normalise(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/**
 * Owns the registries of one configuration: stores, codecs, drivers, commands. The CLI makes
 * one; each test makes its own. Built-ins register through the same calls as plugins.
 */
export class DefaultHost implements Host {
  readonly apiVersion = PLUGIN_API_VERSION;
  private readonly stores = new Map<string, StoreHandler[]>();
  private readonly codecs = new Map<string, Codec>();
  private readonly drivers = new Map<string, FormatDriver>();
  private readonly commands = new Map<string, CommandSpec>();
  private readonly plugins = new Map<string, Plugin>();
  /** Hook run on every codec registration (the codec self-check lives with the codecs). */
  codecCheck?: (codec: Codec) => void;
  /** Loader asked for a plugin providing a scheme/format/command before failing. */
  lazyLoader?: (kind: 'scheme' | 'format' | 'command' | 'codec', name: string) => Promise<boolean>;
  /** Per-host shared state for backends (e.g. the mem:// namespaces). */
  readonly state = new Map<string, unknown>();

  async use(plugin: Plugin): Promise<void> {
    if (!plugin || typeof plugin.setup !== 'function' || typeof plugin.name !== 'string') {
      throw new InvalidArgumentError('not a genolake plugin: expected { name, apiVersion, setup(host) }');
    }
    if (plugin.apiVersion !== this.apiVersion) {
      throw new IncompatiblePluginError(
        `plugin ${plugin.name} targets plugin API v${plugin.apiVersion}, but this genolake core provides v${this.apiVersion}; ` +
          `install a version of ${plugin.name} built for API v${this.apiVersion}`,
      );
    }
    if (this.plugins.has(plugin.name)) return;
    this.plugins.set(plugin.name, plugin);
    await plugin.setup(this);
  }

  listPlugins(): Plugin[] {
    return [...this.plugins.values()];
  }

  registerStore(handler: StoreHandler): void {
    const scheme = handler.scheme.toLowerCase();
    const list = this.stores.get(scheme) ?? [];
    list.push(handler);
    list.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
    this.stores.set(scheme, list);
  }

  registerCodec(codec: Codec): void {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(codec.id)) throw new InvalidArgumentError(`bad codec id "${codec.id}"`);
    this.codecCheck?.(codec);
    this.codecs.set(codec.id, codec);
  }

  registerDriver(driver: FormatDriver): void {
    this.drivers.set(driver.name, driver);
  }

  registerCommand(command: CommandSpec): void {
    this.commands.set(command.name, command);
  }

  getCodec(id: string): Codec {
    const c = this.codecs.get(id);
    if (!c) throw new NotFoundError(`unknown codec "${id}" (registered: ${[...this.codecs.keys()].join(', ') || 'none'})`);
    return c;
  }

  hasCodec(id: string): boolean {
    return this.codecs.has(id);
  }

  getDriver(name: string): FormatDriver {
    const d = this.drivers.get(name);
    if (d) return d;
    const pkg = KNOWN_FORMAT_PROVIDERS[name];
    if (pkg) throw new PluginNotInstalledError(`the "${name}" format needs the ${pkg} plugin`, pkg);
    throw new NotFoundError(`unknown dataset format "${name}" (installed: ${[...this.drivers.keys()].join(', ') || 'none'})`);
  }

  /** Loads a plugin on demand, then returns the driver. */
  async resolveDriver(name: string): Promise<FormatDriver> {
    if (!this.drivers.has(name) && this.lazyLoader) await this.lazyLoader('format', name);
    return this.getDriver(name);
  }

  getCommand(name: string): CommandSpec | undefined {
    return this.commands.get(name);
  }

  listStores(): StoreHandler[] {
    return [...this.stores.values()].flat();
  }
  listCodecs(): Codec[] {
    return [...this.codecs.values()];
  }
  listDrivers(): FormatDriver[] {
    return [...this.drivers.values()];
  }
  listCommands(): CommandSpec[] {
    return [...this.commands.values()];
  }

  async openStore(url: string, options: StoreOptions = {}): Promise<ObjectStore> {
    const { scheme, url: parsed } = parseStoreUrl(url);
    if (!this.stores.has(scheme) && this.lazyLoader) await this.lazyLoader('scheme', scheme);
    const handler = this.stores.get(scheme)?.[0];
    if (!handler) {
      const pkg = KNOWN_SCHEME_PROVIDERS[scheme];
      if (pkg) throw new PluginNotInstalledError(`URL scheme "${scheme}://" needs the ${pkg} store`, pkg);
      throw new PluginNotInstalledError(`no store is registered for URL scheme "${scheme}://"`);
    }
    return handler.open(parsed, options);
  }
}
