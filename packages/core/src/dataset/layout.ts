/**
 * Where a dataset keeps its objects, and the manifest's byte form. See docs/formats/dataset.md.
 *
 *   _manifest/00000000000000000001.json   version 1 (the truth; created once, never changed)
 *   _manifest/_latest                      hint: the newest version number, may lag
 *   _metadata.json                         readable copy of the newest manifest, may lag
 *   _index/...                             index objects
 *   <partition>/<name>-<token>.bin         chunk objects (any key outside the reserved names)
 */
import { createHash } from 'node:crypto';
import { CorruptDataError, InvalidArgumentError, UnsupportedError } from '../errors.js';
import type { Manifest } from './types.js';

export const MANIFEST_PREFIX = '_manifest/';
export const LATEST_HINT_KEY = '_manifest/_latest';
export const METADATA_KEY = '_metadata.json';
export const INDEX_PREFIX = '_index/';

/** Twenty digits hold any safe integer, and keep lexicographic list order equal to numeric order. */
const VERSION_DIGITS = 20;
const VERSION_KEY_RE = /^_manifest\/(\d{20})\.json$/;

export function manifestKey(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new InvalidArgumentError(`bad dataset version ${version}: versions are integers from 1`);
  }
  return `${MANIFEST_PREFIX}${String(version).padStart(VERSION_DIGITS, '0')}.json`;
}

/** The version a manifest key names, or undefined for any other key. */
export function parseManifestKey(key: string): number | undefined {
  const m = VERSION_KEY_RE.exec(key);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Number.isSafeInteger(v) && v >= 1 ? v : undefined;
}

/** Keys a transaction may not write as chunks: they belong to the commit protocol. */
export function isReservedKey(key: string): boolean {
  return key.startsWith(MANIFEST_PREFIX) || key === METADATA_KEY;
}

/** `sha256:<hex>` of the bytes, the digest form every manifest entry uses. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Makes one key segment out of a partition or object name: bytes outside [A-Za-z0-9._-] are
 * %-escaped, and a leading '_' or '.' too, so chunk keys can never land on the reserved `_...`
 * names or form '.'/'..' segments.
 */
export function safeSegment(text: string): string {
  if (text === '') return '%00';
  const enc = new TextEncoder();
  let out = '';
  for (const ch of text) {
    if (/^[A-Za-z0-9._-]$/.test(ch)) out += ch;
    else for (const b of enc.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.startsWith('_')) out = `%5F${out.slice(1)}`;
  if (out.startsWith('.')) out = `%2E${out.slice(1)}`;
  return out;
}

/** Compact JSON for versions (they can list many thousands of chunks). */
export function encodeManifest(m: Manifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(m)}\n`);
}

/** Indented JSON for `_metadata.json`, which people read. */
export function encodeManifestPretty(m: Manifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(m, null, 2)}\n`);
}

/**
 * Parses and checks one manifest version. `where` names the object for messages. A newer
 * manifest layout is UnsupportedError (upgrade genolake); anything malformed is CorruptDataError.
 */
export function decodeManifest(bytes: Uint8Array, where: string, expectVersion?: number): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new CorruptDataError(`manifest ${where} is not valid UTF-8 JSON`, { cause: e });
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new CorruptDataError(`manifest ${where} is not a JSON object`);
  }
  const o = m as Record<string, unknown>;
  if (typeof o.manifestVersion === 'number' && o.manifestVersion > 1) {
    throw new UnsupportedError(`manifest ${where} has layout version ${o.manifestVersion}; this genolake reads version 1 (upgrade it)`);
  }
  const bad = (what: string): never => {
    throw new CorruptDataError(`manifest ${where}: ${what}`);
  };
  if (o.manifestVersion !== 1) bad('missing manifestVersion 1');
  if (!Number.isSafeInteger(o.version) || (o.version as number) < 1) bad('bad version');
  if (expectVersion !== undefined && o.version !== expectVersion) bad(`holds version ${String(o.version)}, expected ${expectVersion}`);
  if (typeof o.format !== 'string' || typeof o.formatVersion !== 'string') bad('missing format/formatVersion');
  if (!Array.isArray(o.chunks) || !Array.isArray(o.indexes) || !Array.isArray(o.provenance)) bad('missing chunks/indexes/provenance arrays');
  if (typeof o.metadata !== 'object' || o.metadata === null) bad('missing metadata object');
  for (const c of o.chunks as unknown[]) {
    const e = c as Record<string, unknown>;
    if (typeof e?.key !== 'string' || !Number.isSafeInteger(e.size) || typeof e.digest !== 'string') {
      bad(`chunk entry without key/size/digest: ${JSON.stringify(c)?.slice(0, 120)}`);
    }
  }
  for (const c of o.indexes as unknown[]) {
    const e = c as Record<string, unknown>;
    if (typeof e?.name !== 'string' || typeof e.key !== 'string' || !Number.isSafeInteger(e.size) || typeof e.digest !== 'string') {
      bad(`index entry without name/key/size/digest: ${JSON.stringify(c)?.slice(0, 120)}`);
    }
  }
  return m as Manifest;
}

/** The synthetic version 0 of a dataset that has no commit yet. */
export function emptyManifest(format: string, formatVersion: string): Manifest {
  return {
    manifestVersion: 1,
    version: 0,
    parent: null,
    createdAt: new Date(0).toISOString(),
    format,
    formatVersion,
    metadata: {},
    chunks: [],
    indexes: [],
    provenance: [],
    operation: { kind: 'empty' },
  };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
