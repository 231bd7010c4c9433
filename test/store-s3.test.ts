// The S3 backend against a real Ceph radosgw on loopback (test/servers/ceph.ts): the testkit's
// conformance suite with conditional puts, multipart uploads, the CLI's convert -> query -> export
// through s3:// with the standard AWS variables, two writers racing for 20 rounds, and secrets
// kept out of every message. Skipped only outside CI when radosgw is not installed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, mayHaveSucceeded, withRetry, type DefaultHost, type ObjectStore } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { chunked, describeObjectStore, patternBytes, runCommitRace } from '@genolake/testkit';
import storeS3, { S3Store, resolveS3Config, sdk } from '@genolake/store-s3';
import { cephInstalled, startCeph, type CephServer } from './servers/ceph.js';
import { startFaultProxy } from './servers/fault-proxy.js';

const GENES = fileURLToPath(new URL('../examples/data/genes.bed', import.meta.url));
const CI = process.env.CI === 'true' || process.env.CI === '1';
const BUCKET = 'genolake-test';
const enc = (s: string) => new TextEncoder().encode(s);

let ceph: CephServer;
let prefixes = 0;
const prefix = (name: string) => `${name}-${++prefixes}-${Date.now().toString(36)}`;

/** A raw store (no retry wrapper) on a fresh prefix of the test bucket. */
function s3Store(name: string, extra: Record<string, unknown> = {}): S3Store {
  const url = new URL(`s3+http://127.0.0.1:${ceph.port}/${BUCKET}/${prefix(name)}`);
  return new S3Store(resolveS3Config(url, { credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey }, ...extra }));
}

/**
 * Runs the CLI in-process with the standard AWS variables set in the process environment, as
 * a user's shell would (the SDK's default chain reads them there), and passed to main() too.
 */
async function runCli(host: DefaultHost, argv: string[], vars: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    const io = captureIO();
    const code = await main(argv, io, { env: { ...process.env }, host });
    return { code, out: io.out(), err: io.err() };
  } finally {
    for (const k of Object.keys(vars)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe.skipIf(!CI && !cephInstalled())('S3 store on Ceph radosgw', () => {
  beforeAll(async () => {
    ceph = await startCeph();
    const admin = new sdk.S3Client({
      endpoint: ceph.endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
      credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
    });
    await admin.send(new sdk.CreateBucketCommand({ Bucket: BUCKET }));
    admin.destroy();
  }, 320_000);
  afterAll(async () => {
    await ceph?.stop();
  });

  describeObjectStore('S3Store on radosgw', async () => ({ store: s3Store('conformance') }), { conditional: true, slow: true, contentEtags: true });

  describe('multipart and conditions', () => {
    it('streams a 21 MiB body as a multipart upload with bounded parts', async () => {
      const store = s3Store('mp', { partSize: 5 * 1024 * 1024, partConcurrency: 2 });
      const bytes = patternBytes(21 * 1024 * 1024 + 5, 9);
      const info = await store.put('big', chunked(bytes, 700_001));
      expect(info.size).toBe(bytes.byteLength);
      expect(info.etag).toMatch(/-5"?$/); // 5 parts; the ETag came from HeadObject (radosgw sends none)
      expect((await store.head('big')).etag).toBe(info.etag);
      const mid = await store.get('big', { range: { offset: 15_000_000, length: 300_000 } });
      expect(Buffer.from(mid).equals(Buffer.from(bytes.subarray(15_000_000, 15_300_000)))).toBe(true);
      await store.close();
    });
    it('refuses a conditional put that would need a multipart upload, leaving nothing', async () => {
      const store = s3Store('mpc', { partSize: 5 * 1024 * 1024 });
      const e = await store.put('m', chunked(patternBytes(11 * 1024 * 1024), 1 << 20), { ifNoneMatch: '*' }).catch((x: Error) => x);
      expect((e as { code?: string }).code).toBe('UNSUPPORTED');
      expect((await store.get('m').catch((x: { code?: string }) => x)) as { code?: string }).toMatchObject({ code: 'NOT_FOUND' });
      await store.close();
    });
  });

  describe('through the CLI with the standard AWS variables', () => {
    let host: DefaultHost;
    const env = () => ({
      AWS_ENDPOINT_URL_S3: ceph.endpoint,
      AWS_ACCESS_KEY_ID: ceph.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    const run = (argv: string[]) => runCli(host, argv, env());
    beforeAll(async () => {
      host = await createHost();
    });
    it('convert -> query -> export round-trips the bundled BED through s3://', async () => {
      const ds = `s3://${BUCKET}/${prefix('cli')}/genes.gl`;
      const conv = await run(['convert', GENES, ds, '--option', 'chunkRecords=250']);
      expect(conv.err).toBe('');
      expect(conv.out).toMatch(/version 1, 3000 records/);
      const local = readFileSync(GENES, 'utf8').trimEnd().split('\n');
      const q = await run(['query', ds, 'chr1:1000001-5000000', '--stats']);
      expect(q.code, q.err).toBe(0);
      const want = local.filter((l) => {
        const [c, s, e] = l.split('\t');
        return c === 'chr1' && Number(s) < 5_000_000 && Number(e) > 1_000_000;
      });
      expect(q.out).toBe(`${want.join('\n')}\n`);
      const exp = await run(['export', ds, '-']);
      expect(exp.code, exp.err).toBe(0);
      expect(exp.out.trimEnd().split('\n').sort()).toEqual([...local].sort());
      const explain = await run(['query', ds, 'chr2', '--explain']);
      expect(explain.code, explain.err).toBe(0);
      for (const r of [conv, q, exp, explain]) expect(r.out + r.err).not.toContain(ceph.secretAccessKey);
    });
    it('a wrong secret fails with AccessDenied and never prints the secret', async () => {
      const secret = 'WRONGsecretVALUE0123456789';
      const h = await createHost();
      await h.use(storeS3());
      const store = await h.openStore(`s3+http://127.0.0.1:${ceph.port}/${BUCKET}/x`, {
        credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: secret }, retries: 0,
      });
      expect(store.url).toBe(`s3+http://127.0.0.1:${ceph.port}/${BUCKET}/x`);
      const e = (await store.get('k').catch((x: unknown) => x)) as Error & { code?: string; cause?: unknown };
      expect(e.code).toBe('ACCESS_DENIED');
      const text = `${e.message} ${String(e.cause)} ${JSON.stringify(e)} ${e.stack}`;
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/Signature=|StringToSign/);
    });
  });

  describe('commit safety', () => {
    it('two writers committing at the same time for 20 rounds lose nothing', async () => {
      const h = await createHost();
      await h.use(storeS3());
      const url = `s3+http://127.0.0.1:${ceph.port}/${BUCKET}/${prefix('race')}`;
      const opts = { credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey } };
      const [a, b]: ObjectStore[] = [await h.openStore(url, opts), await h.openStore(url, opts)];
      await runCommitRace(a, b);
      await a.close?.();
      await b.close?.();
    });
  });

  describe('through a faulty proxy', () => {
    const creds = () => ({ credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey } });
    it('puts, gets, heads, lists and deletes complete with the clean results through withRetry', async () => {
      const proxy = await startFaultProxy({ target: ceph.endpoint, seed: 11, rate: 0.25, slowMs: 1_000, faults: ['drop', 'reset', '500', '503', 'slow', 'truncate', 'lost-reply'] });
      const url = new URL(`s3+http://127.0.0.1:${proxy.port}/${BUCKET}/${prefix('faults')}`);
      const raw = new S3Store(resolveS3Config(url, { ...creds(), timeoutMs: 500 }));
      const store = withRetry(raw, { retries: 10, baseDelayMs: 2, maxDelayMs: 50 });
      try {
        const objects = Array.from({ length: 25 }, (_, i) => [`o/${String(i).padStart(2, '0')}`, patternBytes(1_000 + i * 997, i + 1)] as const);
        for (const [k, b] of objects) await store.put(k, b);
        for (const [k, b] of objects) {
          expect(Buffer.from(await store.get(k)).equals(Buffer.from(b)), k).toBe(true);
          const r = await store.get(k, { range: { offset: 100, length: 500 } });
          expect(Buffer.from(r).equals(Buffer.from(b.subarray(100, 600))), k).toBe(true);
          expect((await store.head(k)).size).toBe(b.byteLength);
        }
        const listed: string[] = [];
        for await (const o of store.list('o/')) listed.push(o.key);
        expect(listed).toEqual(objects.map(([k]) => k));
        // Conditional creates: a retry after a lost reply may meet our own write; the wrapper
        // flags that, and the bytes then tell whether we won.
        for (let i = 0; i < 15; i++) {
          const body = enc(`create ${i}`);
          try {
            await store.put(`c/${i}`, body, { ifNoneMatch: '*' });
          } catch (e) {
            expect(mayHaveSucceeded(e), String(e)).toBe(true);
            expect(new TextDecoder().decode(await store.get(`c/${i}`))).toBe(`create ${i}`);
          }
        }
        for (const [k] of objects.slice(0, 10)) await store.delete(k);
        const left: string[] = [];
        for await (const o of store.list('o/')) left.push(o.key);
        expect(left).toEqual(objects.slice(10).map(([k]) => k));
        for (const f of ['drop', 'reset', '500', '503', 'slow', 'truncate', 'lost-reply'] as const) expect(proxy.counts[f], f).toBeGreaterThan(0);
      } finally {
        await store.close?.();
        await proxy.close();
      }
    });

    it('a truncated GET body is never data, and a dead server fails clearly', async () => {
      const proxy = await startFaultProxy({ target: ceph.endpoint, schedule: () => 'pass' });
      const url = new URL(`s3+http://127.0.0.1:${proxy.port}/${BUCKET}/${prefix('trunc')}`);
      const store = new S3Store(resolveS3Config(url, { ...creds(), timeoutMs: 2_000 }));
      try {
        await store.put('t', patternBytes(50_000));
        proxy.enabled = true;
        const trunc = await startFaultProxy({ target: ceph.endpoint, schedule: (_n, req) => (req.method === 'GET' ? 'truncate' : 'pass') });
        const ts = new S3Store(resolveS3Config(new URL(`s3+http://127.0.0.1:${trunc.port}${url.pathname}`), { ...creds(), timeoutMs: 2_000 }));
        for (const o of [{}, { range: { offset: 10, length: 20_000 } }]) {
          const e = await ts.get('t', o).then((b) => new Error(`accepted ${b.byteLength} bytes`), (x: unknown) => x);
          expect((e as { code?: string }).code, String(e)).toBe('TRANSIENT');
        }
        await ts.close();
        await trunc.close();
        const down = await startFaultProxy({ target: ceph.endpoint, schedule: () => '503' });
        const ds = withRetry(new S3Store(resolveS3Config(new URL(`s3+http://127.0.0.1:${down.port}${url.pathname}`), creds())), { retries: 2, baseDelayMs: 1 });
        const e = (await ds.get('t').catch((x: unknown) => x)) as Error & { code?: string };
        expect(e.code).toBe('TRANSIENT');
        expect(e.message).toMatch(/SlowDown|503/);
        await ds.close?.();
        await down.close();
      } finally {
        await store.close();
        await proxy.close();
      }
    });

    it('convert and query through the faulty proxy give exactly the records of a clean query', async () => {
      const proxy = await startFaultProxy({ target: ceph.endpoint, seed: 5, rate: 0.2, slowMs: 200, faults: ['drop', 'reset', '500', '503', 'slow', 'truncate', 'lost-reply'] });
      const host = await createHost();
      const vars = { AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey, AWS_REGION: 'us-east-1' };
      const ds = `s3+http://127.0.0.1:${proxy.port}/${BUCKET}/${prefix('fcli')}/genes.gl`;
      try {
        const conv = await runCli(host, ['convert', GENES, ds, '--option', 'chunkRecords=200'], vars);
        expect(conv.code, conv.err).toBe(0);
        for (const region of [['chr1:1000001-90000000', 'chr7'], ['chrX'], []]) {
          proxy.enabled = false;
          const clean = await runCli(host, ['query', ds, ...region], vars);
          proxy.enabled = true;
          const faulty = await runCli(host, ['query', ds, ...region], vars);
          expect(clean.code, clean.err).toBe(0);
          expect(faulty.code, faulty.err).toBe(0);
          expect(faulty.out).toBe(clean.out);
        }
        const all = await runCli(host, ['export', ds, '-'], vars);
        expect(all.out.trimEnd().split('\n').sort()).toEqual(readFileSync(GENES, 'utf8').trimEnd().split('\n').sort());
        expect(Object.entries(proxy.counts).filter(([k]) => k !== 'pass').reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(5);
      } finally {
        await proxy.close();
      }
    });
  });
});
