import { describe, expect, it } from 'vitest';
import { displayUrl, resolveS3Config } from './config.js';
import { mapS3Error } from './errors.js';
import { fixedParts } from './parts.js';

const env = (e: Record<string, string>) => ({ env: e });

describe('resolveS3Config', () => {
  it('reads bucket and prefix from s3:// and the endpoint from the AWS variables', () => {
    const aws = resolveS3Config(new URL('s3://bkt/a/b/'), env({ AWS_REGION: 'eu-west-1' }));
    expect(aws).toMatchObject({ bucket: 'bkt', prefix: 'a/b', region: 'eu-west-1', forcePathStyle: false, requesterPays: false, bareIfMatch: false });
    expect(aws.endpoint).toBeUndefined();
    expect(displayUrl(aws)).toBe('s3://bkt/a/b');
    const s3only = resolveS3Config(new URL('s3://bkt'), env({ AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'http://b:2' }));
    expect(s3only).toMatchObject({ endpoint: 'http://b:2', forcePathStyle: true, region: 'us-east-1', prefix: '' });
    expect(resolveS3Config(new URL('s3://bkt'), env({ AWS_ENDPOINT_URL: 'http://a:1', AWS_DEFAULT_REGION: 'x-1' }))).toMatchObject({ endpoint: 'http://a:1', region: 'x-1' });
  });
  it('takes the endpoint from s3+http URLs and options from the query', () => {
    const c = resolveS3Config(new URL('s3+http://127.0.0.1:7480/bkt/ds?requester-pays=1&path-style=0&region=r'), env({}));
    expect(c).toMatchObject({ endpoint: 'http://127.0.0.1:7480', bucket: 'bkt', prefix: 'ds', requesterPays: true, forcePathStyle: false, region: 'r' });
    expect(displayUrl(c)).toBe('s3+http://127.0.0.1:7480/bkt/ds');
    expect(resolveS3Config(new URL('s3://bkt'), env({ GENOLAKE_S3_REQUESTER_PAYS: 'yes', GENOLAKE_S3_FORCE_PATH_STYLE: '1' }))).toMatchObject({ requesterPays: true, forcePathStyle: true });
  });
  it('takes credentials from a given env but keeps them out of the display URL', () => {
    const c = resolveS3Config(new URL('s3://bkt/p'), env({ AWS_ACCESS_KEY_ID: 'AKIAXX', AWS_SECRET_ACCESS_KEY: 'topsecret' }));
    expect(c.credentials).toEqual({ accessKeyId: 'AKIAXX', secretAccessKey: 'topsecret' });
    expect(displayUrl(c)).not.toContain('topsecret');
  });
  it('signs payloads only over plain HTTP to another host; parts default to 16 MiB, 4-8 in flight', () => {
    const sign = (u: string, e: Record<string, string> = {}) => resolveS3Config(new URL(u), env(e)).signPayload;
    expect(sign('s3://bkt')).toBe(false);
    expect(sign('s3+https://minio.example/bkt')).toBe(false);
    expect(sign('s3+http://127.0.0.1:7480/bkt')).toBe(false);
    expect(sign('s3+http://localhost:7480/bkt')).toBe(false);
    expect(sign('s3+http://[::1]:7480/bkt')).toBe(false);
    expect(sign('s3+http://10.0.0.5:7480/bkt')).toBe(true);
    expect(sign('s3://bkt', { AWS_ENDPOINT_URL_S3: 'http://rgw.lan:7480' })).toBe(true);
    expect(sign('s3+http://10.0.0.5:7480/bkt', { GENOLAKE_S3_SIGN_PAYLOAD: '0' })).toBe(false);
    expect(resolveS3Config(new URL('s3+http://127.0.0.1:1/bkt'), { signPayload: true }).signPayload).toBe(true);
    const c = resolveS3Config(new URL('s3://bkt'), env({}));
    expect(c.partSize).toBe(16 * 1024 * 1024);
    expect(c.partConcurrency).toBeGreaterThanOrEqual(4);
    expect(c.partConcurrency).toBeLessThanOrEqual(8);
  });
  it('rejects URLs without a bucket and bad flags', () => {
    expect(() => resolveS3Config(new URL('s3+http://h:1/'), env({}))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolveS3Config(new URL('s3://bkt?requester-pays=maybe'), env({}))).toThrow(/requester-pays/);
  });
});

describe('mapS3Error', () => {
  const sdkErr = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error('msg with SignatureProvided=abc'), { name, $metadata: { httpStatusCode: status, requestId: 'r1' }, ...extra });
  it('maps 412 by the condition, 404, 403, throttling, 5xx and network errors', () => {
    const code = (e: unknown, c?: 'ifNoneMatch' | 'ifMatch') => (mapS3Error(e, 'put k', { condition: c }) as { code?: string }).code;
    expect(code(sdkErr('PreconditionFailed', 412), 'ifNoneMatch')).toBe('ALREADY_EXISTS');
    expect(code(sdkErr('PreconditionFailed', 412), 'ifMatch')).toBe('PRECONDITION_FAILED');
    expect(code(sdkErr('NoSuchKey', 404))).toBe('NOT_FOUND');
    expect(code(sdkErr('AccessDenied', 403))).toBe('ACCESS_DENIED');
    expect(code(sdkErr('SlowDown', 503))).toBe('TRANSIENT');
    expect(code(sdkErr('ConditionalRequestConflict', 409))).toBe('TRANSIENT');
    expect(code(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('TRANSIENT');
    expect(code(sdkErr('InvalidArgument', 400))).toBe('S3_REQUEST');
  });
  it('never keeps the SDK error (which may hold a signature) as the cause', () => {
    const e = mapS3Error(sdkErr('SignatureDoesNotMatch', 403), 'get k');
    expect(String((e as Error).cause)).not.toContain('SignatureProvided');
    expect(e.message).not.toContain('SignatureProvided');
  });
});

describe('fixedParts', () => {
  async function* chunks(sizes: number[]) {
    let v = 0;
    for (const n of sizes) yield Uint8Array.from({ length: n }, () => v++ & 255);
  }
  it('re-cuts arbitrary chunks into fixed parts in order', async () => {
    const parts: Uint8Array[] = [];
    for await (const p of fixedParts(chunks([3, 10, 1, 7]), () => 4)) parts.push(p);
    expect(parts.map((p) => p.byteLength)).toEqual([4, 4, 4, 4, 4, 1]);
    expect(Array.from(Buffer.concat(parts))).toEqual(Array.from({ length: 21 }, (_, i) => i));
  });
  it('yields one empty part for an empty body', async () => {
    const parts: Uint8Array[] = [];
    for await (const p of fixedParts(chunks([]), () => 4)) parts.push(p);
    expect(parts.map((p) => p.byteLength)).toEqual([0]);
  });
});
