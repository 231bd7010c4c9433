/**
 * Finding and reading manifest versions. The versioned manifests are the truth; the
 * `_manifest/_latest` hint only says where to start looking, because writers update it after
 * the commit (best effort) and two writers may update it out of order.
 */
import { NotFoundError, throwIfAborted } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import { LATEST_HINT_KEY, MANIFEST_PREFIX, decodeManifest, manifestKey, parseManifestKey } from './layout.js';
import type { Manifest } from './types.js';

interface Opts {
  signal?: AbortSignal;
}

async function exists(store: ObjectStore, version: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await store.head(manifestKey(version), { signal });
    return true;
  } catch (e) {
    if (e instanceof NotFoundError) return false;
    throw e;
  }
}

/** The hint's version, or undefined when it is missing or unreadable. */
async function readHint(store: ObjectStore, signal?: AbortSignal): Promise<number | undefined> {
  try {
    const text = new TextDecoder().decode(await store.get(LATEST_HINT_KEY, { signal })).trim();
    const v = Number(text);
    return /^\d+$/.test(text) && Number.isSafeInteger(v) && v >= 1 ? v : undefined;
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** Every manifest version present, ascending (one list call over `_manifest/`). */
export async function listVersions(store: ObjectStore, options?: Opts): Promise<number[]> {
  const out: number[] = [];
  for await (const info of store.list(MANIFEST_PREFIX, { signal: options?.signal })) {
    const v = parseManifestKey(info.key);
    if (v !== undefined) out.push(v);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Versions newer than a known one are contiguous (version N+1 is only created once N exists),
 * so "does version v exist" is monotone above `known`: gallop (+1, +2, +4, ...) then bisect.
 * A hint that is k versions stale costs about 2·log2(k) heads instead of k.
 */
async function probeForward(store: ObjectStore, known: number, signal?: AbortSignal): Promise<number> {
  let lo = known; // exists (or 0)
  let step = 1;
  let hi = 0; // first known missing, once found
  while (hi === 0) {
    throwIfAborted(signal, `finding the latest version of ${store.url}`);
    if (await exists(store, lo + step, signal)) {
      lo += step;
      step *= 2;
    } else hi = lo + step;
  }
  while (hi - lo > 1) {
    const mid: number = lo + Math.floor((hi - lo) / 2);
    if (await exists(store, mid, signal)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The newest version, with its manifest when it had to be read anyway (saves `open` a request),
 * or version 0 when the store holds no dataset.
 */
export async function findLatest(store: ObjectStore, options?: Opts): Promise<{ version: number; manifest?: Manifest }> {
  const signal = options?.signal;
  const hint = await readHint(store, signal);
  if (hint !== undefined) {
    if (!(await exists(store, hint + 1, signal))) {
      // Usual case: the hint is current. Read it, which also proves it exists.
      try {
        return { version: hint, manifest: await readManifest(store, hint, options) };
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
        // A hint naming a version that does not exist: ignore it and list.
      }
    } else {
      return { version: await probeForward(store, hint + 1, signal) };
    }
  }
  const listed = await listVersions(store, options);
  const base = listed.length ? listed[listed.length - 1]! : 0;
  // Probe past the listing too: a commit may have landed after the list call.
  return { version: await probeForward(store, base, signal) };
}

/** The newest version number, 0 when there is no dataset. */
export async function latestVersion(store: ObjectStore, options?: Opts): Promise<number> {
  return (await findLatest(store, options)).version;
}

/** Reads and checks version `version`; NotFoundError naming the dataset when it is absent. */
export async function readManifest(store: ObjectStore, version: number, options?: Opts): Promise<Manifest> {
  const key = manifestKey(version);
  let bytes: Uint8Array;
  try {
    bytes = await store.get(key, { signal: options?.signal });
  } catch (e) {
    if (e instanceof NotFoundError) {
      throw new NotFoundError(`dataset ${store.url} has no version ${version} (never committed, or removed by vacuum)`, { cause: e });
    }
    throw e;
  }
  return decodeManifest(bytes, `${store.url}/${key}`, version);
}
