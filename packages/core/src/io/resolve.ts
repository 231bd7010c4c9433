import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../errors.js';
import { parseStoreUrl } from '../plugin/host.js';
import type { Host } from '../plugin/types.js';
import { validateKey } from '../store/keys.js';
import type { ObjectStore, StoreOptions } from '../store/types.js';

/**
 * Resolves the URL or path of one object (`./data/x.bam`, `file:///x.bam`,
 * `mem://ns/dir/x.bam`, `s3://bucket/dir/x.bam`) to its parent opened as a store and its
 * last segment as the key. The edge where paths become ObjectStores: everything below
 * takes (store, key).
 */
export async function resolveObjectUrl(
  host: Host,
  url: string,
  options?: StoreOptions,
): Promise<{ store: ObjectStore; key: string }> {
  const { url: parsed } = parseStoreUrl(url);
  const path = parsed.pathname;
  const slash = path.lastIndexOf('/');
  let key: string;
  try {
    key = decodeURIComponent(path.slice(slash + 1));
  } catch (e) {
    throw new InvalidArgumentError(`bad percent-encoding in ${url}`, { cause: e });
  }
  if (!key) throw new InvalidArgumentError(`${url} names a directory, not an object`);
  try {
    validateKey(key);
  } catch (e) {
    throw new InvalidArgumentError(`${url} does not name an object`, { cause: e });
  }
  const parent = new URL(parsed.href);
  parent.pathname = path.slice(0, slash + 1);
  const store = await host.openStore(parent.href, options);
  return { store, key };
}

/**
 * The local path of `pathOrUrl` when it exists and is neither a regular file nor a directory:
 * a device, FIFO or socket (`/dev/null`, `/dev/stdin`, `<(…)` process substitution). Such a
 * file is read as a stream, once, and written in place: a store's ranged reads fail on it
 * (ESPIPE) and its put's write-a-temporary-then-rename would replace `/dev/null` with a regular
 * file (as root) or fail (otherwise).
 */
export async function specialFile(pathOrUrl: string): Promise<string | undefined> {
  const { scheme, url } = parseStoreUrl(pathOrUrl);
  if (scheme !== 'file') return undefined;
  const path = fileURLToPath(url);
  const st = await stat(path).catch(() => undefined);
  return st && !st.isFile() && !st.isDirectory() ? path : undefined;
}
