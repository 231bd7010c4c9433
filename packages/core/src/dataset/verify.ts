/**
 * `verify`: every object a version lists exists, has the listed size and sha256 digest, and
 * (for chunks, through the caller's deepCheck) decodes with valid stream CRCs. Problems are
 * collected, never thrown, so one run reports all damage.
 */
import { NotFoundError, throwIfAborted } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import { mapPool } from '../plan/pool.js';
import { manifestKey, sha256Digest } from './layout.js';
import { latestVersion, listVersions, readManifest } from './versions.js';
import type { Manifest, VerifyProblem, VerifyReport } from './types.js';

export interface VerifyOptions {
  /** The version to verify (newest when absent). */
  version?: number;
  /** Every stored version (time travel must keep working too). */
  all?: boolean;
  /**
   * Structural check of a chunk's bytes, e.g. the chunk reader's `verifyChunk`; throwing marks
   * the chunk 'corrupt'. Not called for index objects, which have their own checks on load.
   */
  deepCheck?: (key: string, bytes: Uint8Array) => void;
  /** Objects read in parallel (default 4); memory is about this many objects. */
  concurrency?: number;
  signal?: AbortSignal;
}

interface Target {
  key: string;
  size: number;
  digest: string;
  chunk: boolean;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function verifyDataset(store: ObjectStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const signal = options.signal;
  const problems: VerifyProblem[] = [];
  let versions: number[];
  if (options.all) versions = await listVersions(store, { signal });
  else versions = [options.version ?? (await latestVersion(store, { signal }))];
  if (versions.length === 0 || versions[0] === 0) throw new NotFoundError(`no genolake dataset at ${store.url}`);

  const manifests: Manifest[] = [];
  for (const v of versions) {
    throwIfAborted(signal, `verify ${store.url}`);
    try {
      manifests.push(await readManifest(store, v, { signal }));
    } catch (e) {
      // With a single requested version a missing one is the caller's mistake, not damage.
      if (e instanceof NotFoundError && !options.all) throw e;
      problems.push({ key: manifestKey(v), kind: e instanceof NotFoundError ? 'missing' : 'corrupt', message: errorText(e) });
    }
  }

  // One check per distinct (key, size, digest): versions share most objects.
  const targets = new Map<string, Target>();
  for (const m of manifests) {
    for (const c of m.chunks) targets.set(`${c.key}\0${c.size}\0${c.digest}`, { key: c.key, size: c.size, digest: c.digest, chunk: true });
    for (const i of m.indexes) targets.set(`${i.key}\0${i.size}\0${i.digest}`, { key: i.key, size: i.size, digest: i.digest, chunk: false });
  }
  let bytesRead = 0;
  const list = [...targets.values()];
  await mapPool(
    list,
    options.concurrency ?? 4,
    async (t) => {
      let bytes: Uint8Array;
      try {
        bytes = await store.get(t.key, { signal });
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
        problems.push({ key: t.key, kind: 'missing', message: `object ${store.url}/${t.key} is missing` });
        return;
      }
      bytesRead += bytes.byteLength;
      if (bytes.byteLength !== t.size) {
        problems.push({ key: t.key, kind: 'size', message: `object ${store.url}/${t.key} has ${bytes.byteLength} bytes, the manifest says ${t.size}` });
        return;
      }
      const digest = sha256Digest(bytes);
      if (digest !== t.digest) {
        problems.push({ key: t.key, kind: 'digest', message: `object ${store.url}/${t.key} has digest ${digest}, the manifest says ${t.digest}` });
        return;
      }
      if (t.chunk && options.deepCheck) {
        try {
          options.deepCheck(t.key, bytes);
        } catch (e) {
          problems.push({ key: t.key, kind: 'corrupt', message: errorText(e) });
        }
      }
    },
    signal,
  );
  problems.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    version: manifests.length ? manifests[manifests.length - 1]!.version : versions[versions.length - 1]!,
    versions: manifests.map((m) => m.version),
    objects: list.length,
    bytes: bytesRead,
    problems,
  };
}
