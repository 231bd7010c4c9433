/**
 * The ObjectStore contract: five raw calls every backend implements. Retries, metrics,
 * caching and range coalescing are wrappers in core that work on every backend.
 *
 * Keys are relative to the store's root: '/'-separated, no leading '/', no '..' or '.'
 * segments, no empty segments, no NUL and no backslash (see `validateKey`).
 */

/** A bounded byte range: `length` bytes from `offset`. Open-ended ranges do not exist here. */
export interface ByteRange {
  offset: number;
  length: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** Opaque version tag used with `ifMatch`. */
  etag: string;
  lastModified?: Date;
}

export interface GetOptions {
  /**
   * Bounded range. The result is clipped at the end of the object: a range that starts at or
   * past the end returns an empty array. A negative, NaN or non-integer offset/length is an
   * InvalidArgumentError.
   */
  range?: ByteRange;
  signal?: AbortSignal;
}

export interface PutOptions {
  /** `'*'`: create only if absent, else AlreadyExistsError. */
  ifNoneMatch?: '*';
  /** Replace only if the current etag equals this, else PreconditionFailedError (NotFound if absent). */
  ifMatch?: string;
  contentType?: string;
  signal?: AbortSignal;
}

export interface ListOptions {
  signal?: AbortSignal;
}

export interface DeleteOptions {
  signal?: AbortSignal;
}

/** A body is either bytes in memory or a stream of byte chunks (streaming put). */
export type PutBody = Uint8Array | AsyncIterable<Uint8Array>;

export interface StoreCapabilities {
  /** put(..., {ifNoneMatch:'*'}) is enforced atomically by the backend. Commits need this. */
  conditionalCreate: boolean;
  /** put(..., {ifMatch}) is enforced atomically by the backend. */
  conditionalMatch: boolean;
  /** false for read-only backends (HTTP). */
  writable: boolean;
}

export interface ObjectStore {
  /** Human-readable URL of the store root, for messages (never contains secrets). */
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  /** Whole object, or a bounded range of it. NotFoundError if absent. */
  get(key: string, options?: GetOptions): Promise<Uint8Array>;
  /** Size and etag. NotFoundError if absent. */
  head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo>;
  /** Writes the whole object atomically (readers never see a partial object). */
  put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo>;
  /** Objects whose key starts with `prefix` (a plain string prefix), in lexicographic key order. */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** Removes the object. Deleting an absent key is not an error. */
  delete(key: string, options?: DeleteOptions): Promise<void>;
  /** Releases sockets, handles. Optional. */
  close?(): Promise<void>;
}

/** Options any backend may receive when opened from a URL. */
export interface StoreOptions {
  /** Read-only open: writes throw UnsupportedError. */
  readOnly?: boolean;
  signal?: AbortSignal;
  /**
   * Environment to read credentials and endpoints from (AWS_*, AZURE_STORAGE_*,
   * STORAGE_EMULATOR_HOST…). Defaults to `process.env`; embedders and tests pass their own.
   */
  env?: Record<string, string | undefined>;
  /** Backend-specific settings (credentials, endpoints), never logged. */
  [key: string]: unknown;
}

/**
 * A backend registered for a URL scheme (`file`, `mem`, `s3`, ...). When two handlers claim a
 * scheme, the higher priority wins.
 */
export interface StoreHandler {
  scheme: string;
  /** Package that provides it, e.g. '@genolake/store-s3'. */
  provider: string;
  priority?: number;
  description?: string;
  open(url: URL, options: StoreOptions): Promise<ObjectStore>;
}
