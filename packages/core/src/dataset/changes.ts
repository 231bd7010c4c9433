/**
 * What a transaction changes, kept apart from the version it started on so the same changes
 * can be applied to a newer version when a concurrent writer wins the race (rebase).
 *
 * Rebase rules (docs/formats/dataset.md, "Commit protocol"):
 * - added chunks and indexes apply on top of the newer version;
 * - a removed chunk must still be there, else ConflictError (someone else removed it);
 * - an index this transaction writes or removes must not have been changed concurrently,
 *   else ConflictError (one of the two indexes would miss the other writer's records);
 * - metadata patches are re-applied to the newer metadata (functions re-run on it);
 * - provenance is append-only, so our entries move to the end and chunk references shift;
 * - format and formatVersion must not differ.
 */
import { ConflictError } from '../errors.js';
import type { ChunkEntry, IndexEntry, Manifest, Operation, Provenance } from './types.js';

export type MetadataPatch = Record<string, unknown> | ((old: Record<string, unknown>) => Record<string, unknown>);

export interface Changes {
  /** The version the transaction started from (its provenance length anchors our references). */
  origin: Manifest;
  added: Map<string, ChunkEntry>;
  removed: Set<string>;
  indexes: Map<string, IndexEntry>;
  removedIndexes: Set<string>;
  metadata: MetadataPatch[];
  provenance: Provenance[];
}

export function emptyChanges(origin: Manifest): Changes {
  return { origin, added: new Map(), removed: new Set(), indexes: new Map(), removedIndexes: new Set(), metadata: [], provenance: [] };
}

function sameIndex(a: IndexEntry | undefined, b: IndexEntry | undefined): boolean {
  return a?.key === b?.key && a?.digest === b?.digest;
}

/**
 * Builds version `base.version + 1` from `base` plus the changes. Throws ConflictError when the
 * changes cannot apply to `base` (only possible when base is newer than the origin).
 */
export function applyChanges(
  base: Manifest,
  changes: Changes,
  operation: Operation,
  url: string,
  now: Date = new Date(),
): Manifest {
  const { origin } = changes;
  const version = base.version + 1;
  const raced = base.version !== origin.version;
  const where = `dataset ${url} version ${base.version}`;
  // A dataset created concurrently by two writers: both start from the synthetic version 0.
  if (base.format !== origin.format || base.formatVersion !== origin.formatVersion) {
    throw new ConflictError(
      `${where} has format ${base.format} ${base.formatVersion}, this commit was made for ${origin.format} ${origin.formatVersion}`,
    );
  }
  const baseKeys = new Set(base.chunks.map((c) => c.key));
  for (const key of changes.removed) {
    if (!baseKeys.has(key)) {
      throw new ConflictError(
        raced
          ? `cannot remove chunk ${key}: a concurrent commit to ${where} already removed it`
          : `cannot remove chunk ${key}: ${where} does not contain it`,
      );
    }
  }
  for (const key of changes.added.keys()) {
    if (baseKeys.has(key)) throw new ConflictError(`chunk ${key} is already listed in ${where}`);
  }
  const originIndexes = new Map(origin.indexes.map((i) => [i.name, i]));
  const baseIndexes = new Map(base.indexes.map((i) => [i.name, i]));
  for (const name of [...changes.indexes.keys(), ...changes.removedIndexes]) {
    if (!sameIndex(originIndexes.get(name), baseIndexes.get(name))) {
      throw new ConflictError(`index ${name} was changed by a concurrent commit (${where}); rebuild it on the new version`);
    }
  }
  for (const name of changes.removedIndexes) {
    if (!baseIndexes.has(name)) throw new ConflictError(`cannot remove index ${name}: ${where} does not contain it`);
  }

  // Our provenance entries go after the base's; shift the references our chunks hold.
  const shift = base.provenance.length - origin.provenance.length;
  const ours = (i: number | undefined): number | undefined =>
    i !== undefined && i >= origin.provenance.length ? i + shift : i;

  let metadata: Record<string, unknown> = { ...base.metadata };
  for (const patch of changes.metadata) metadata = typeof patch === 'function' ? { ...patch(metadata) } : { ...metadata, ...patch };

  const chunks: ChunkEntry[] = base.chunks.filter((c) => !changes.removed.has(c.key));
  for (const c of changes.added.values()) {
    const entry: ChunkEntry = { ...c, addedIn: version };
    const p = ours(c.provenance);
    if (p !== undefined) entry.provenance = p;
    chunks.push(entry);
  }
  const indexes = base.indexes.filter((i) => !changes.removedIndexes.has(i.name) && !changes.indexes.has(i.name));
  indexes.push(...changes.indexes.values());

  return {
    manifestVersion: 1,
    version,
    parent: base.version === 0 ? null : base.version,
    createdAt: now.toISOString(),
    format: base.format,
    formatVersion: base.formatVersion,
    metadata,
    chunks,
    indexes,
    provenance: [...base.provenance, ...changes.provenance],
    operation,
  };
}
