import { describe, expect, it } from 'vitest';
import { mapGcsError, redact } from './errors.js';
import { parseGcsUrl } from './url.js';

type CodedError = Error & { code?: string };

describe('parseGcsUrl', () => {
  it('reads bucket, prefix and a requester-pays project', () => {
    expect(parseGcsUrl(new URL('gs://my-bucket/a/b/'))).toEqual({ bucket: 'my-bucket', prefix: 'a/b', display: 'gs://my-bucket/a/b' });
    expect(parseGcsUrl(new URL('gs://my-bucket/p?userProject=billing-1'))).toMatchObject({ userProject: 'billing-1', display: 'gs://my-bucket/p' });
  });
  it('rejects bad buckets, unknown parameters and unsafe prefixes', () => {
    expect(() => parseGcsUrl(new URL('gs://b/x'))).toThrow(/bad GCS bucket name/);
    expect(() => parseGcsUrl(new URL('gs://bucket1/x?foo=1'))).toThrow(/unknown gs:\/\/ URL parameter "foo"/);
    expect(() => parseGcsUrl(new URL('gs://bucket1/a%5Cb'))).toThrow(/backslash/);
  });
});

describe('mapGcsError', () => {
  const ctx = { op: 'put', target: 'gs://bucket1/k' };
  const api = (code: number, message = 'x') => Object.assign(new Error(message), { code });
  it('maps statuses to core error codes', () => {
    expect((mapGcsError(api(404), ctx) as CodedError).code).toBe('NOT_FOUND');
    expect((mapGcsError(api(412), { ...ctx, create: true }) as CodedError).code).toBe('ALREADY_EXISTS');
    expect((mapGcsError(api(412), ctx) as CodedError).code).toBe('PRECONDITION_FAILED');
    expect((mapGcsError(api(403), ctx) as CodedError).code).toBe('ACCESS_DENIED');
    for (const s of [408, 429, 500, 503]) expect((mapGcsError(api(s), ctx) as CodedError).code).toBe('TRANSIENT');
    expect((mapGcsError(Object.assign(new Error('socket'), { code: 'ECONNRESET' }), ctx) as CodedError).code).toBe('TRANSIENT');
    expect((mapGcsError(api(500), { ...ctx, signal: AbortSignal.abort() }) as CodedError).code).toBe('ABORTED');
  });
  it('never repeats tokens or keys', () => {
    const e = mapGcsError(api(401, 'Authorization: Bearer ya29.SECRET-token {"access_token":"ya29.OTHER"}'), ctx);
    expect(`${e.message} ${String(e.cause)}`).not.toMatch(/ya29/);
    expect(redact('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----')).toBe('***');
  });
});
