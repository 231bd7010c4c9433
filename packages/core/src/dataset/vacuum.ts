/**
 * `vacuum`: removes manifest versions past their retention, then every object under the dataset
 * root that no retained version references. Two clocks protect the living:
 * - retainMs keeps recent versions readable for readers that opened them (time travel);
 * - graceMs keeps recent unreferenced objects, which may belong to a writer about to commit.
 *   It must exceed the longest time a transaction runs between upload and commit.
 */
import { InvalidArgumentError, NotFoundError, throwIfAborted } from '../errors.js';
import type { ObjectInfo, ObjectStore } from '../store/types.js';
import { MANIFEST_PREFIX, parseManifestKey } from './layout.js';
import { latestVersion, readManifest } from './versions.js';
import type { Manifest, VacuumResult } from './types.js';

export interface VacuumOptions {
  /** Keep at least the newest N versions (default 1: the latest). */
  retainVersions?: number;
  /** Keep versions created within this many ms (default 7 days). */
  retainMs?: number;
  /** Keep unreferenced objects younger than this many ms (default 1 hour). */
  graceMs?: number;
  /** Report what would be deleted; delete nothing. */
  dryRun?: boolean;
  /** The clock (tests). */
  now?: Date;
  signal?: AbortSignal;
}

const DAY_MS = 24 * 3600 * 1000;

function checkMs(v: number, what: string): number {
  if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`vacuum: ${what} must be a non-negative number of ms, got ${v}`);
  return v;
}

export async function vacuum(store: ObjectStore, options: VacuumOptions = {}): Promise<VacuumResult> {
  const signal = options.signal;
  const now = (options.now ?? new Date()).getTime();
  const retainVersions = options.retainVersions ?? 1;
  if (!Number.isSafeInteger(retainVersions) || retainVersions < 1) {
    throw new InvalidArgumentError(`vacuum: retainVersions must be at least 1 (the latest version is always kept), got ${retainVersions}`);
  }
  const retainMs = checkMs(options.retainMs ?? 7 * DAY_MS, 'retainMs');
  const graceMs = checkMs(options.graceMs ?? 3600 * 1000, 'graceMs');

  // One listing of the whole root: manifest versions and every other object.
  const versions = new Map<number, ObjectInfo>();
  const others: ObjectInfo[] = [];
  for await (const info of store.list('', { signal })) {
    const v = parseManifestKey(info.key);
    if (v !== undefined) versions.set(v, info);
    else if (!info.key.startsWith(MANIFEST_PREFIX) && !isRootMetadata(info.key)) others.push(info);
  }
  // A commit may have landed after the listing; the probe also covers listings that lag.
  const latest = Math.max(await latestVersion(store, { signal }), ...versions.keys());
  if (latest === 0) throw new NotFoundError(`no genolake dataset at ${store.url}`);

  // Newest first; retained versions form a suffix, so versions stay contiguous above the oldest.
  const ordered = [...versions.keys()].sort((a, b) => b - a);
  if (ordered[0] !== latest) ordered.unshift(latest);
  const retained: Manifest[] = [];
  const expired: number[] = [];
  for (const v of ordered) {
    throwIfAborted(signal, `vacuum ${store.url}`);
    if (expired.length > 0) {
      expired.push(v);
      continue;
    }
    const m = await readManifest(store, v, { signal });
    const age = now - Date.parse(m.createdAt);
    if (v === latest || retained.length < retainVersions || !(age > retainMs)) retained.push(m);
    else expired.push(v);
  }

  const referenced = new Set<string>();
  for (const m of retained) {
    for (const c of m.chunks) referenced.add(c.key);
    for (const i of m.indexes) referenced.add(i.key);
  }
  const doomed: { key: string; size: number }[] = [];
  for (const v of expired.sort((a, b) => a - b)) {
    const info = versions.get(v);
    if (info) doomed.push({ key: info.key, size: info.size });
  }
  for (const info of others) {
    if (referenced.has(info.key)) continue;
    // Unknown age counts as young: never delete what might be a writer's fresh upload.
    const modified = info.lastModified?.getTime();
    if (modified === undefined || now - modified <= graceMs) continue;
    doomed.push({ key: info.key, size: info.size });
  }

  if (!options.dryRun) {
    // Old manifests first: once gone, nobody can open a version that needs the objects below.
    for (const d of doomed) {
      throwIfAborted(signal, `vacuum ${store.url}`);
      await store.delete(d.key, { signal });
    }
  }
  return {
    deleted: doomed,
    bytes: doomed.reduce((n, d) => n + d.size, 0),
    retainedVersions: retained.map((m) => m.version).sort((a, b) => a - b),
  };
}

/**
 * Root-level `_name` objects are readable metadata copies (`_metadata.json`, a driver's
 * `_schema.json`, the `_latest` hint…), rewritten on every commit and never listed in a
 * manifest; chunk keys cannot take such names (Transaction escapes a leading '_').
 */
function isRootMetadata(key: string): boolean {
  return key.startsWith('_') && !key.includes('/');
}
