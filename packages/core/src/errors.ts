/**
 * The error hierarchy. Every error genolake raises on purpose is a GenolakeError with a
 * stable `code`; callers branch on the class or the code, never on message text.
 * Messages name the object key, record number or byte offset involved.
 */
export interface GenolakeErrorOptions {
  cause?: unknown;
}

/** Shared by every copy of @genolake/core loaded in a process (see hasInstance below). */
const BRAND = Symbol.for('@genolake/core:error');

export abstract class GenolakeError extends Error {
  abstract readonly code: string;
  /** Process exit code the CLI uses for this kind of failure. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: GenolakeErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * `instanceof` also recognises errors thrown by another copy of @genolake/core (a plugin
   * installed with its own dependency, or a second checkout on the resolution path): same brand,
   * and a class of the same name on its prototype chain. Without this, a NotFoundError from the
   * other copy looked like an unknown failure and e.g. creating a dataset failed on its first
   * probe.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
    if (this === GenolakeError) return true;
    for (let p = Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p)) {
      if ((p as { constructor?: { name?: string } }).constructor?.name === this.name) return true;
    }
    return false;
  }
}

/** An object, dataset, version, contig or sample that does not exist. */
export class NotFoundError extends GenolakeError {
  readonly code = 'NOT_FOUND';
}

/** A create-if-absent put found the key already present. */
export class AlreadyExistsError extends GenolakeError {
  readonly code = 'ALREADY_EXISTS';
}

/** An `ifMatch` condition failed: the object changed since it was read. */
export class PreconditionFailedError extends GenolakeError {
  readonly code = 'PRECONDITION_FAILED';
}

/** A failure worth retrying: throttling, 5xx, connection reset, timeout. */
export class TransientError extends GenolakeError {
  readonly code = 'TRANSIENT';
}

/** A key that could escape the store's root or cannot be stored portably. */
export class InvalidKeyError extends GenolakeError {
  readonly code = 'INVALID_KEY';
}

/** Bytes that fail a checksum, a magic number or a structural invariant. */
export class CorruptDataError extends GenolakeError {
  readonly code = 'CORRUPT';
  override readonly exitCode = 3;
}

/** Input that is not well-formed for its format (names the file and line or record). */
export class InputError extends GenolakeError {
  readonly code = 'BAD_INPUT';
  override readonly exitCode = 2;
}

/** A bad argument or option from the caller (CLI usage errors, bad ranges, bad pipelines). */
export class InvalidArgumentError extends GenolakeError {
  readonly code = 'INVALID_ARGUMENT';
  override readonly exitCode = 2;
}

/** The store refused the credentials or their permissions (HTTP 401/403). Not retried. */
export class AccessDeniedError extends GenolakeError {
  readonly code = 'ACCESS_DENIED';
  override readonly exitCode = 2;
}

/** A feature, format version or operation this build or this store does not support. */
export class UnsupportedError extends GenolakeError {
  readonly code = 'UNSUPPORTED';
}

/** Two writers raced and this commit could not be rebased onto the winner's version. */
export class ConflictError extends GenolakeError {
  readonly code = 'CONFLICT';
  override readonly exitCode = 4;
}

/** A URL scheme, format or codec is known but its plugin is not installed. */
export class PluginNotInstalledError extends GenolakeError {
  readonly code = 'PLUGIN_NOT_INSTALLED';
  constructor(
    message: string,
    readonly packageName?: string,
    options?: GenolakeErrorOptions,
  ) {
    super(packageName ? `${message} (install it with: npm install ${packageName})` : message, options);
  }
}

/** A plugin built for another major version of the plugin API. */
export class IncompatiblePluginError extends GenolakeError {
  readonly code = 'INCOMPATIBLE_PLUGIN';
}

/** The operation was cancelled through an AbortSignal. */
export class AbortedError extends GenolakeError {
  readonly code = 'ABORTED';
  override readonly exitCode = 130;
}

export function isGenolakeError(e: unknown): e is GenolakeError {
  return e instanceof GenolakeError;
}

/** Throws AbortedError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'operation'): void {
  if (signal?.aborted) throw new AbortedError(`${what} aborted`, { cause: signal.reason });
}
