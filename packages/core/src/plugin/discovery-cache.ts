/**
 * One node_modules directory's plugins, scanned or taken from the last scan. A scan lists the
 * directory (and each @scope) and reads every package.json: 20-60 ms for the ~800 packages of
 * a development checkout, on every command. The scan is kept in
 * `<node_modules>/.cache/genolake/plugins.json` with stamps (inode, size, mtime) of what a
 * change to the installed packages touches, and reused while every stamp still matches:
 * - the node_modules directory and each @scope directory: npm, pnpm and yarn add, remove and
 *   upgrade a package by creating, renaming or deleting its directory (or link) there;
 * - the package managers' state files in node_modules (`.package-lock.json`,
 *   `.modules.yaml`, `.yarn-integrity`, `.yarn-state.yml`), rewritten on every install, which
 *   also covers a manager that rewrites files of a package in place;
 * - the package.json of every plugin found and of every linked package (workspaces, `npm
 *   link`), whose files change without anything in node_modules changing.
 * Checking ~60 stamps costs about 1 ms. A hand edit of a non-plugin package.json inside
 * node_modules is the one change not seen; deleting the cache directory forces a scan.
 * Like git's index, a stamp newer than ~2 s is not trusted (a second change within the same
 * timestamp tick would keep the same mtime), so a just-modified node_modules is rescanned.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { PluginManifest } from './discovery.js';

const CACHE_VERSION = 1;
const CACHE_DIR = join('.cache', 'genolake');
const CACHE_FILE = 'plugins.json';
/** Files package managers rewrite on every install (npm, pnpm, yarn classic, yarn berry). */
const STATE_FILES = ['.package-lock.json', '.modules.yaml', '.yarn-integrity', '.yarn-state.yml'];
/** A stamp whose mtime is closer than this to the scan is not trusted (coarse fs clocks; FAT has 2 s). */
const RACY_MS = 2000;

type Stamp = [path: string, stamp: string];

interface CacheFile {
  v: number;
  nodeModules: string;
  stamps: Stamp[];
  plugins: Omit<PluginManifest, 'source'>[];
}

/** `ino:size:mtimeNs` of a path (symlinks followed), or '-' when absent. */
function stampOf(path: string): string {
  const st = statSync(path, { bigint: true, throwIfNoEntry: false });
  return st ? `${st.ino}:${st.size}:${st.mtimeNs}` : '-';
}

function readCache(file: string, nodeModules: string): PluginManifest[] | undefined {
  let cached: CacheFile;
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cached.v !== CACHE_VERSION || cached.nodeModules !== nodeModules || !Array.isArray(cached.stamps) || !Array.isArray(cached.plugins)) return undefined;
  for (const [path, stamp] of cached.stamps) if (stampOf(path) !== stamp) return undefined;
  return cached.plugins.map((m) => ({ ...m, source: 'node_modules' }));
}

/** Directory entries sorted by name, so discovery order does not depend on the filesystem. */
function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** Scans `nodeModules`, recording each stamp before reading what it covers. */
function scan(nodeModules: string, parse: (text: string, dir: string) => PluginManifest | undefined): { plugins: PluginManifest[]; stamps: Stamp[] } {
  const stamps: Stamp[] = [];
  const stamp = (path: string): void => void stamps.push([path, stampOf(path)]);
  stamp(nodeModules);
  for (const f of STATE_FILES) stamp(join(nodeModules, f));
  const plugins: PluginManifest[] = [];
  const visit = (dir: string, linked: boolean): void => {
    const pkgJson = join(dir, 'package.json');
    const before = stamps.length;
    stamp(pkgJson);
    let text: string;
    try {
      text = readFileSync(pkgJson, 'utf8');
    } catch {
      text = '';
    }
    const m = text ? parse(text, dir) : undefined;
    if (m) plugins.push(m);
    else if (!linked) stamps.length = before;
  };
  for (const e of entries(nodeModules)) {
    if (e.name.startsWith('.')) continue;
    const p = join(nodeModules, e.name);
    if (e.name.startsWith('@')) {
      stamp(p);
      for (const sub of entries(p)) if (!sub.name.startsWith('.')) visit(join(p, sub.name), sub.isSymbolicLink());
    } else visit(p, e.isSymbolicLink());
  }
  return { plugins, stamps };
}

function newest(stamps: Stamp[]): number {
  let max = 0;
  for (const [, s] of stamps) {
    const ns = s === '-' ? 0n : BigInt(s.slice(s.lastIndexOf(':') + 1));
    const ms = Number(ns / 1_000_000n);
    if (ms > max) max = ms;
  }
  return max;
}

function writeCache(file: string, content: CacheFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(content));
    renameSync(tmp, file);
  } catch {
    // A read-only installation just scans every time.
    rmSync(tmp, { force: true });
  }
}

/**
 * The plugins in one node_modules directory, in name order. With `useCache`, from the
 * last scan when its stamps still hold; otherwise (and then) from a scan, saved when its
 * stamps are old enough to be trusted.
 */
export function scanNodeModules(
  nodeModules: string,
  useCache: boolean,
  parse: (text: string, dir: string) => PluginManifest | undefined,
): PluginManifest[] {
  if (!useCache) return scan(nodeModules, parse).plugins;
  const dir = join(nodeModules, CACHE_DIR);
  const file = join(dir, CACHE_FILE);
  const hit = readCache(file, nodeModules);
  if (hit) return hit;
  let writable = true;
  try {
    // Before the scan, so creating .cache (which changes node_modules' mtime) is in the stamps.
    mkdirSync(dir, { recursive: true });
  } catch {
    writable = false;
  }
  const started = Date.now();
  const { plugins, stamps } = scan(nodeModules, parse);
  if (writable && newest(stamps) < started - RACY_MS) {
    writeCache(file, { v: CACHE_VERSION, nodeModules, stamps, plugins: plugins.map(({ source: _source, ...m }) => m) });
  }
  return plugins;
}
