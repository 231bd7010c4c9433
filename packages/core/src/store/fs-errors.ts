import {
  AbortedError,
  AlreadyExistsError,
  GenolakeError,
  InvalidKeyError,
  NotFoundError,
  TransientError,
  UnsupportedError,
} from '../errors.js';

/** The `code` of a Node system error, or undefined. */
export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;
}

/**
 * Turns a Node filesystem error into the store's typed errors, naming the path. Errors that
 * are already GenolakeErrors pass through; unknown codes are returned unchanged (Node's own
 * message already names the path and syscall).
 */
export function mapFsError(e: unknown, path: string, action: string): unknown {
  if (e instanceof GenolakeError) return e;
  if (e instanceof Error && e.name === 'AbortError') return new AbortedError(`${action} ${path} aborted`, { cause: e });
  switch (errnoCode(e)) {
    case 'ENOENT':
      return new NotFoundError(`object not found: ${path}`, { cause: e });
    case 'EISDIR':
      // A "directory" key holds other objects; as an object it does not exist.
      return new NotFoundError(`object not found: ${path} is a directory`, { cause: e });
    case 'EEXIST':
      return new AlreadyExistsError(`object already exists: ${path}`, { cause: e });
    case 'ENOTDIR':
      return new InvalidKeyError(`cannot ${action} ${path}: a parent path component is an object, not a directory`, { cause: e });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      // errors.ts has no permission class yet; UnsupportedError says "this store cannot do that here".
      return new UnsupportedError(`permission denied: cannot ${action} ${path} (${errnoCode(e)})`, { cause: e });
    case 'EMFILE':
    case 'ENFILE':
    case 'EAGAIN':
    case 'EBUSY':
    case 'EINTR':
    case 'ETIMEDOUT':
      return new TransientError(`temporary failure to ${action} ${path} (${errnoCode(e)})`, { cause: e });
    default:
      return e;
  }
}
