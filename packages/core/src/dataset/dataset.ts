/**
 * A dataset handle: one manifest version of the dataset rooted at a store. Reading never
 * changes a handle except through refresh() and this handle's own commits.
 */
import { AlreadyExistsError, NotFoundError, throwIfAborted } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import { emptyManifest } from './layout.js';
import { Transaction, type BeginOptions } from './transaction.js';
import { findLatest, latestVersion, readManifest } from './versions.js';
import type { Manifest } from './types.js';

export interface DatasetOpenOptions {
  /** A past version (time travel); the newest when absent. */
  version?: number;
  signal?: AbortSignal;
}

export interface DatasetInit {
  format: string;
  formatVersion: string;
  metadata?: Record<string, unknown>;
}

export interface DatasetCreateOptions {
  /** 'error' (default): AlreadyExistsError when any version exists; 'open': open it instead. */
  ifExists?: 'error' | 'open';
  signal?: AbortSignal;
}

export class Dataset {
  private current: Manifest;

  private constructor(
    readonly store: ObjectStore,
    manifest: Manifest,
    private readonly init?: DatasetInit,
  ) {
    this.current = manifest;
  }

  /** Opens the newest version, or `options.version`. NotFoundError when there is no dataset. */
  static async open(store: ObjectStore, options?: DatasetOpenOptions): Promise<Dataset> {
    if (options?.version !== undefined) {
      return new Dataset(store, await readManifest(store, options.version, options));
    }
    const latest = await findLatest(store, options);
    if (latest.version === 0) throw new NotFoundError(`no genolake dataset at ${store.url}`);
    return new Dataset(store, latest.manifest ?? (await readManifest(store, latest.version, options)));
  }

  /**
   * A handle on a new, empty dataset at version 0; nothing is written until its first commit
   * creates version 1 (so an abandoned create leaves no trace).
   */
  static async create(store: ObjectStore, init: DatasetInit, options?: DatasetCreateOptions): Promise<Dataset> {
    const latest = await findLatest(store, options);
    if (latest.version > 0) {
      if (options?.ifExists === 'open') {
        return new Dataset(store, latest.manifest ?? (await readManifest(store, latest.version, options)));
      }
      throw new AlreadyExistsError(`a genolake dataset already exists at ${store.url} (version ${latest.version})`);
    }
    const m = emptyManifest(init.format, init.formatVersion);
    m.metadata = { ...init.metadata };
    return new Dataset(store, m, init);
  }

  /** The newest version number, 0 when there is none. */
  static latestVersion(store: ObjectStore, options?: { signal?: AbortSignal }): Promise<number> {
    return latestVersion(store, options);
  }

  /** The version this handle reads (0 = created, nothing committed yet). */
  get manifest(): Manifest {
    return this.current;
  }

  get version(): number {
    return this.current.version;
  }

  get format(): string {
    return this.current.format;
  }

  get url(): string {
    return this.store.url;
  }

  /** Another version's manifest, without moving this handle. */
  readVersion(version: number, options?: { signal?: AbortSignal }): Promise<Manifest> {
    return readManifest(this.store, version, options);
  }

  /**
   * Versions from this handle's back to the oldest one still stored, newest first. Stops at
   * the first version vacuum removed.
   */
  async *log(options?: { signal?: AbortSignal }): AsyncIterable<Manifest> {
    let m: Manifest | undefined = this.current.version === 0 ? undefined : this.current;
    while (m) {
      yield m;
      throwIfAborted(options?.signal, `log of ${this.store.url}`);
      if (m.parent === null) return;
      try {
        m = await readManifest(this.store, m.parent, options);
      } catch (e) {
        if (e instanceof NotFoundError) return;
        throw e;
      }
    }
  }

  /** Moves this handle to the newest version; returns it. */
  async refresh(options?: { signal?: AbortSignal }): Promise<this> {
    const latest = await findLatest(this.store, options);
    if (latest.version > this.current.version) {
      this.current = latest.manifest ?? (await readManifest(this.store, latest.version, options));
    }
    return this;
  }

  /** Starts a write based on this handle's version. A successful commit moves the handle. */
  begin(options?: BeginOptions): Transaction {
    return new Transaction(this.store, this.current, {
      ...options,
      initMetadata: this.current.version === 0 ? this.init?.metadata : undefined,
      onCommit: (m) => {
        if (m.version > this.current.version) this.current = m;
      },
    });
  }
}
