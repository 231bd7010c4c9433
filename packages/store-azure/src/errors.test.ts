import { describe, expect, it } from 'vitest';
import { mapAzureError } from './errors.js';
import { Secrets } from './redact.js';

type CodedError = Error & { code?: string };

const secrets = new Secrets();
secrets.add('c2VjcmV0LWFjY291bnQta2V5');
const map = (e: unknown, create = false) => mapAzureError(e, { what: 'put az://a1b/c1/k', secrets, create });
const rest = (statusCode: number | undefined, code: string | undefined, message = 'x') => Object.assign(new Error(message), { name: 'RestError', statusCode, code });

describe('mapAzureError', () => {
  it('maps statuses to core error codes', () => {
    expect((map(rest(404, 'BlobNotFound')) as CodedError).code).toBe('NOT_FOUND');
    expect((map(rest(409, 'BlobAlreadyExists')) as CodedError).code).toBe('ALREADY_EXISTS');
    expect((map(rest(412, 'ConditionNotMet'), true) as CodedError).code).toBe('ALREADY_EXISTS');
    expect((map(rest(412, 'ConditionNotMet')) as CodedError).code).toBe('PRECONDITION_FAILED');
    expect((map(rest(403, 'AuthenticationFailed')) as CodedError).code).toBe('ACCESS_DENIED');
    for (const s of [408, 429, 500, 503]) expect((map(rest(s, 'ServerBusy')) as CodedError).code).toBe('TRANSIENT');
    expect((map(rest(undefined, 'REQUEST_SEND_ERROR')) as CodedError).code).toBe('TRANSIENT');
    expect(map(Object.assign(new Error('aborted'), { name: 'AbortError' })).message).toMatch(/timed out/);
  });
  it('aborts win over whatever the SDK threw', () => {
    const signal = AbortSignal.abort();
    expect((mapAzureError(rest(500, 'x'), { what: 'get k', secrets, signal }) as CodedError).code).toBe('ABORTED');
  });
  it('passes foreign errors (a failing body source) through unchanged', () => {
    const e = new Error('source broke');
    expect(map(e)).toBe(e);
  });
  it('redacts keys, SAS signatures and bearer tokens from what the service said', () => {
    const e = map(rest(403, 'AuthenticationFailed', 'Signature for c2VjcmV0LWFjY291bnQta2V5 sig=abc%2Bdef&se=1 Bearer eyJhbGciOi.x.y\nRequestId:1'));
    const text = `${e.message} ${String(e.cause)}`;
    expect(text).not.toMatch(/c2VjcmV0LWFjY291bnQta2V5|abc%2Bdef|eyJhbGciOi/);
    expect(text).toContain('sig=***');
    expect(text).not.toContain('RequestId');
  });
});
