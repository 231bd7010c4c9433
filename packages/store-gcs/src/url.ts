/**
 * `gs://<bucket>/<prefix>[?userProject=<project>]`: the bucket and key prefix of a GCS store.
 * `userProject` bills requests to that project (requester-pays buckets); it may also come
 * from the store options. The display URL never carries a query.
 */
import { InvalidArgumentError, validateKey } from '@genolake/core';

export interface GcsLocation {
  bucket: string;
  prefix: string;
  userProject?: string;
  display: string;
}

// Bucket names: 3-63 chars (up to 222 with dots), lowercase letters, digits, '-', '_', '.'.
const BUCKET_RE = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

export function parseGcsUrl(url: URL): GcsLocation {
  if (url.protocol !== 'gs:') throw new InvalidArgumentError(`not a GCS URL: ${url.protocol}//`);
  if (url.username || url.password) throw new InvalidArgumentError('gs:// URLs must not carry credentials; use application default credentials');
  const bucket = url.hostname;
  if (!BUCKET_RE.test(bucket)) throw new InvalidArgumentError(bucket ? `bad GCS bucket name "${bucket}"` : 'gs:// URL names no bucket (expected gs://bucket/prefix)');
  const prefix = decodeURIComponent(url.pathname).split('/').filter((s) => s !== '').join('/');
  if (prefix) validateKey(prefix);
  for (const k of url.searchParams.keys()) {
    if (k !== 'userProject') throw new InvalidArgumentError(`unknown gs:// URL parameter "${k}" (only userProject is understood)`);
  }
  const userProject = url.searchParams.get('userProject') ?? undefined;
  return { bucket, prefix, display: `gs://${bucket}${prefix ? '/' + prefix : ''}`, ...(userProject ? { userProject } : {}) };
}
