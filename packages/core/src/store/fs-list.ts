import type { BigIntStats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../errors.js';
import { errnoCode, mapFsError } from './fs-errors.js';
import type { ObjectInfo } from './types.js';

/** Hidden directory inside the root for temp files and lock files; never listed. */
export const FS_TEMP_DIR = '.genolake-tmp';

/**
 * Walks the directory tree under `dirKey` yielding the objects whose key starts with
 * `prefix`, in lexicographic key order.
 */
export async function* walk(root: string, dirKey: string, prefix: string, signal?: AbortSignal): AsyncGenerator<ObjectInfo> {
  throwIfAborted(signal, `list ${root}/${prefix}`);
  const dir = dirKey ? join(root, ...dirKey.split('/')) : root;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw mapFsError(e, dir, 'list');
  }
  // Sort as keys sort: a directory 'a' sorts as 'a/' so 'a-c' < 'a/b' like on S3.
  const items: { key: string; dir: boolean; sortKey: string }[] = [];
  for (const ent of entries) {
    if (!dirKey && ent.name === FS_TEMP_DIR) continue;
    const isDir = ent.isDirectory();
    let isFile = ent.isFile();
    if (ent.isSymbolicLink()) {
      // A linked file is listed; a linked directory is not walked (it could loop back up).
      const st = await stat(join(dir, ent.name)).catch(() => undefined);
      isFile = st?.isFile() ?? false;
    }
    if (!isDir && !isFile) continue;
    const key = dirKey ? `${dirKey}/${ent.name}` : ent.name;
    if (isDir ? !(key + '/').startsWith(prefix) && !prefix.startsWith(key + '/') : !key.startsWith(prefix)) continue;
    items.push({ key, dir: isDir, sortKey: isDir ? key + '/' : key });
  }
  items.sort((x, y) => (x.sortKey < y.sortKey ? -1 : x.sortKey > y.sortKey ? 1 : 0));
  // Stat files in small parallel batches: listing speed is dominated by stat latency.
  for (let i = 0; i < items.length; ) {
    if (items[i]!.dir) {
      yield* walk(root, items[i]!.key, prefix, signal);
      i++;
      continue;
    }
    let j = i;
    while (j < items.length && j - i < 64 && !items[j]!.dir) j++;
    const batch = items.slice(i, j);
    const stats = await Promise.all(batch.map((it) => stat(join(root, ...it.key.split('/')), { bigint: true }).catch(() => undefined)));
    for (let k = 0; k < batch.length; k++) {
      const st = stats[k];
      if (st?.isFile()) yield info(batch[k]!.key, st); // vanished files are skipped
    }
    i = j;
  }
}

/** Changes on every write: each put renames a fresh inode into place. */
export function etagOf(st: BigIntStats): string {
  return `"${st.ino.toString(16)}-${st.mtimeNs.toString(16)}-${st.size.toString(16)}"`;
}

export function info(key: string, st: BigIntStats): ObjectInfo {
  return { key, size: Number(st.size), etag: etagOf(st), lastModified: new Date(Number(st.mtimeMs)) };
}
