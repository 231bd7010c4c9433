import { InvalidKeyError } from '../errors.js';

/**
 * Rejects keys that could escape a store root or that are not portable across backends:
 * empty, absolute ('/x'), '..' or '.' segments, empty segments ('a//b'), NUL, backslash,
 * or longer than 1024 bytes (the S3/GCS limit).
 */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError('empty object key');
  if (key.includes('\0')) throw new InvalidKeyError(`object key ${JSON.stringify(key)} contains NUL`);
  if (key.includes('\\')) throw new InvalidKeyError(`object key ${JSON.stringify(key)} contains a backslash`);
  if (key.startsWith('/')) throw new InvalidKeyError(`object key ${JSON.stringify(key)} is absolute`);
  if (Buffer.byteLength(key) > 1024) throw new InvalidKeyError(`object key is longer than 1024 bytes: ${key.slice(0, 64)}…`);
  for (const seg of key.split('/')) {
    if (seg === '..' || seg === '.') throw new InvalidKeyError(`object key ${JSON.stringify(key)} contains a '${seg}' segment`);
    if (seg === '' ) throw new InvalidKeyError(`object key ${JSON.stringify(key)} has an empty path segment`);
  }
  return key;
}

/** Validates a list prefix: '' (everything) or a key-like prefix that may end with '/'. */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  validateKey(prefix.endsWith('/') ? prefix.slice(0, -1) || 'x' : prefix);
  return prefix;
}

/** Joins key parts with '/', ignoring empty parts. */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p !== '').map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
}
