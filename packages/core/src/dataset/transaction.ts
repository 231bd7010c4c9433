/**
 * A write to a dataset: upload immutable objects, then publish version N+1 with a
 * create-if-absent put. Readers see nothing until that one put succeeds.
 */
import { randomBytes } from 'node:crypto';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidArgumentError,
  NotFoundError,
  UnsupportedError,
} from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import { validateKey } from '../store/keys.js';
import { applyChanges, emptyChanges, type Changes, type MetadataPatch } from './changes.js';
import {
  INDEX_PREFIX,
  LATEST_HINT_KEY,
  METADATA_KEY,
  bytesEqual,
  decodeManifest,
  encodeManifest,
  encodeManifestPretty,
  isReservedKey,
  manifestKey,
  safeSegment,
  sha256Digest,
} from './layout.js';
import { findLatest, readManifest } from './versions.js';
import type { ChunkEntry, IndexEntry, Manifest, Operation, Provenance } from './types.js';

export interface BeginOptions {
  /** Recorded in the version's operation, for the log. */
  writerId?: string;
}

export interface CommitOptions {
  operation: Operation;
  /** Rebases onto concurrent versions at most this many times (default 10). */
  maxRetries?: number;
  signal?: AbortSignal;
}

export type ChunkInit = Omit<ChunkEntry, 'key' | 'size' | 'digest' | 'addedIn'>;

type State = 'open' | 'committing' | 'committed' | 'aborted';

export class Transaction {
  /** Random per transaction: concurrent writers' keys never collide. */
  readonly token: string = randomBytes(8).toString('hex');
  private readonly changes: Changes;
  private readonly uploaded: string[] = [];
  private state: State = 'open';

  constructor(
    readonly store: ObjectStore,
    origin: Manifest,
    private readonly options: BeginOptions & { initMetadata?: Record<string, unknown>; onCommit?: (m: Manifest) => void } = {},
  ) {
    this.changes = emptyChanges(origin);
    // A dataset's first commit carries the metadata given to create(); as a patch it also
    // survives a race with another creator.
    if (origin.version === 0 && options.initMetadata) this.changes.metadata.push(options.initMetadata);
  }

  /** The version this transaction started from. */
  get base(): Manifest {
    return this.changes.origin;
  }

  private assertOpen(what: string): void {
    if (this.state !== 'open') throw new InvalidArgumentError(`cannot ${what}: transaction on ${this.store.url} is ${this.state}`);
  }

  /** A fresh chunk key: `<partition>/<name>-<token>.bin`, segments escaped (see safeSegment). */
  chunkKey(partition: string, name: string): string {
    return `${safeSegment(partition)}/${safeSegment(name)}-${this.token}.bin`;
  }

  /** A fresh index key under `_index/`. */
  indexKey(name: string): string {
    return `${INDEX_PREFIX}${safeSegment(name)}-${this.token}.idx`;
  }

  private async upload(key: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    validateKey(key);
    if (isReservedKey(key)) throw new InvalidArgumentError(`key ${key} is reserved for the commit protocol of ${this.store.url}`);
    try {
      await this.store.put(key, bytes, { ifNoneMatch: '*', signal });
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
      // A retried put whose first attempt landed: same bytes means it is ours.
      const existing = await this.store.get(key, { signal });
      if (!bytesEqual(existing, bytes)) {
        throw new AlreadyExistsError(`object ${this.store.url}/${key} already exists with other content; chunk keys must be unique`, { cause: e });
      }
    }
    this.uploaded.push(key);
  }

  /** Uploads one chunk object and records it; returns its manifest entry (addedIn set at commit). */
  async putChunk(key: string, bytes: Uint8Array, entry: ChunkInit, options?: { signal?: AbortSignal }): Promise<ChunkEntry> {
    this.assertOpen('put a chunk');
    if (this.changes.added.has(key)) throw new InvalidArgumentError(`chunk ${key} was already added in this transaction`);
    await this.upload(key, bytes, options?.signal);
    const full: ChunkEntry = { ...entry, key, size: bytes.byteLength, digest: sha256Digest(bytes) };
    this.changes.added.set(key, full);
    return full;
  }

  /** Uploads an index object; it replaces any index of the same name at commit. */
  async putIndex(
    name: string,
    kind: string,
    key: string,
    bytes: Uint8Array,
    extra?: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<IndexEntry> {
    this.assertOpen('put an index');
    await this.upload(key, bytes, options?.signal);
    const entry: IndexEntry = { name, kind, key, size: bytes.byteLength, digest: sha256Digest(bytes) };
    if (extra) entry.extra = extra;
    this.changes.indexes.set(name, entry);
    this.changes.removedIndexes.delete(name);
    return entry;
  }

  /** Drops chunks from the next version (their objects stay until vacuum). */
  removeChunks(keys: Iterable<string>): void {
    this.assertOpen('remove chunks');
    for (const key of keys) {
      if (this.changes.added.delete(key)) continue;
      this.changes.removed.add(key);
    }
  }

  removeIndexes(names: Iterable<string>): void {
    this.assertOpen('remove indexes');
    for (const name of names) {
      if (this.changes.indexes.delete(name) && !this.base.indexes.some((i) => i.name === name)) continue;
      this.changes.removedIndexes.add(name);
    }
  }

  /** A shallow patch merged into the metadata, or a function from old metadata to new. */
  setMetadata(patch: MetadataPatch): void {
    this.assertOpen('set metadata');
    this.changes.metadata.push(patch);
  }

  /** Records provenance; returns the index chunk entries use to refer to it. */
  addProvenance(p: Provenance): number {
    this.assertOpen('add provenance');
    this.changes.provenance.push(p);
    return this.base.provenance.length + this.changes.provenance.length - 1;
  }

  /**
   * Publishes the next version. On a lost race, re-reads the winner's version and rebases
   * (see changes.ts), up to `maxRetries` times. On failure the uploaded objects stay; call
   * abort() to delete them, or leave them to vacuum.
   */
  async commit(options: CommitOptions): Promise<Manifest> {
    this.assertOpen('commit');
    const store = this.store;
    if (!store.capabilities.conditionalCreate) {
      throw new UnsupportedError(`refusing to commit: ${store.url} cannot enforce conditional create`);
    }
    const maxRetries = options.maxRetries ?? 10;
    const signal = options.signal;
    this.state = 'committing';
    try {
      let base = this.base;
      for (let attempt = 0; ; attempt++) {
        const operation: Operation = { ...options.operation, transaction: this.token };
        if (this.options.writerId !== undefined) operation.writer = this.options.writerId;
        if (attempt > 0) operation.rebased = attempt;
        const next = applyChanges(base, this.changes, operation, store.url);
        const key = manifestKey(next.version);
        const bytes = encodeManifest(next);
        try {
          await store.put(key, bytes, { ifNoneMatch: '*', contentType: 'application/json', signal });
          await this.publishHints(next, signal);
          this.state = 'committed';
          this.options.onCommit?.(next);
          return next;
        } catch (e) {
          if (!(e instanceof AlreadyExistsError)) throw e;
          const existing = await store.get(key, { signal });
          if (bytesEqual(existing, bytes)) {
            // Our own earlier attempt landed (a retry wrapper re-sent the put).
            await this.publishHints(next, signal);
            this.state = 'committed';
            this.options.onCommit?.(next);
            return next;
          }
          if (attempt >= maxRetries) {
            throw new ConflictError(
              `gave up committing to ${store.url} after ${attempt + 1} attempts: other writers keep committing first (last seen version ${next.version})`,
              { cause: e },
            );
          }
          // Jump to the newest version (other writers may have committed several).
          const known = decodeManifest(existing, `${store.url}/${key}`, next.version);
          const latest = await findLatest(store, { signal });
          base =
            latest.version <= known.version
              ? known
              : (latest.manifest ?? (await readManifest(store, latest.version, { signal })));
        }
      }
    } catch (e) {
      if (this.state === 'committing') this.state = 'open';
      throw e;
    }
  }

  /** The hint and the readable copy; both are advisory, so failures are ignored. */
  private async publishHints(m: Manifest, signal?: AbortSignal): Promise<void> {
    await Promise.allSettled([
      this.store.put(LATEST_HINT_KEY, new TextEncoder().encode(`${m.version}\n`), { signal }),
      this.store.put(METADATA_KEY, encodeManifestPretty(m), { contentType: 'application/json', signal }),
    ]);
  }

  /** Deletes what this transaction uploaded (best effort) and closes it. */
  async abort(): Promise<void> {
    if (this.state === 'committed') throw new InvalidArgumentError(`cannot abort: transaction on ${this.store.url} is committed`);
    this.state = 'aborted';
    await Promise.allSettled(
      this.uploaded.map((key) =>
        this.store.delete(key).catch((e: unknown) => {
          if (!(e instanceof NotFoundError)) throw e;
        }),
      ),
    );
  }
}
