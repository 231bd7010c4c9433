// The HTTP backend against a real local server that honours Range (test/servers/http-range-server.ts):
// the read half of the ObjectStore contract, servers that ignore Range or lie about it, secrets in
// URLs, and a dataset converted locally, served over HTTP and queried through the CLI.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost, type ObjectStore } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { patternBytes } from '@genolake/testkit';
import storeHttp, { HttpStore } from '@genolake/store-http';
import { startRangeServer, type RangeServer } from './servers/http-range-server.js';

const GENES = fileURLToPath(new URL('../examples/data/genes.bed', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'genolake-http-'));
const bytes = patternBytes(10_000, 3);
let server: RangeServer;
let store: ObjectStore;

beforeAll(async () => {
  mkdirSync(join(tmp, 'files/x/y'), { recursive: true });
  writeFileSync(join(tmp, 'files/r.bin'), bytes);
  writeFileSync(join(tmp, 'files/empty'), new Uint8Array(0));
  writeFileSync(join(tmp, 'files/x/y/z b.txt'), 'hello');
  server = await startRangeServer(tmp);
  store = new HttpStore(`${server.url}/files`);
});
afterAll(async () => {
  await store.close?.();
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('HttpStore reads', () => {
  it('reads bounded ranges, clipped at the end, and empty past the end', async () => {
    expect(await store.get('r.bin', { range: { offset: 1234, length: 4321 } })).toEqual(bytes.slice(1234, 5555));
    expect(await store.get('r.bin', { range: { offset: 9_990, length: 100 } })).toEqual(bytes.slice(9_990));
    expect((await store.get('r.bin', { range: { offset: 10_000, length: 10 } })).byteLength).toBe(0);
    expect((await store.get('r.bin', { range: { offset: 20_000, length: 10 } })).byteLength).toBe(0);
    expect((await store.get('r.bin', { range: { offset: 500, length: 0 } })).byteLength).toBe(0);
  });
  it('reads whole objects, empty ones and keys that need escaping', async () => {
    expect(await store.get('r.bin')).toEqual(bytes);
    expect((await store.get('empty')).byteLength).toBe(0);
    expect(new TextDecoder().decode(await store.get('x/y/z b.txt'))).toBe('hello');
  });
  it('head reports size and a stable etag', async () => {
    const h = await store.head('r.bin');
    expect(h).toMatchObject({ key: 'r.bin', size: 10_000 });
    expect(h.etag.length).toBeGreaterThan(0);
    expect((await store.head('r.bin')).etag).toBe(h.etag);
    expect((await store.head('empty')).size).toBe(0);
  });
  it('missing keys are NotFound for get, ranged get and head', async () => {
    expect(await code(store.get('nope'))).toBe('NOT_FOUND');
    expect(await code(store.get('nope', { range: { offset: 0, length: 1 } }))).toBe('NOT_FOUND');
    expect(await code(store.get('nope', { range: { offset: 0, length: 0 } }))).toBe('NOT_FOUND');
    expect(await code(store.head('nope'))).toBe('NOT_FOUND');
  });
  it('rejects bad ranges and keys, and honours aborted signals', async () => {
    for (const range of [{ offset: -1, length: 1 }, { offset: Number.NaN, length: 1 }, { offset: 0, length: -1 }, { offset: 1.5, length: 2 }]) {
      expect(await code(store.get('r.bin', { range }))).toBe('INVALID_ARGUMENT');
    }
    for (const key of ['', '/abs', '../up', 'a//b', 'a\\b']) {
      expect(await code(store.get(key))).toBe('INVALID_KEY');
      expect(await code(store.head(key))).toBe('INVALID_KEY');
    }
    const signal = AbortSignal.abort();
    expect(await code(store.get('r.bin', { signal }))).toBe('ABORTED');
    expect(await code(store.head('r.bin', { signal }))).toBe('ABORTED');
  });
  it('is read-only: put, delete and list are Unsupported and capabilities say so', async () => {
    expect(store.capabilities).toEqual({ conditionalCreate: false, conditionalMatch: false, writable: false });
    expect(await code(store.put('k', new Uint8Array(1), { ifNoneMatch: '*' }))).toBe('UNSUPPORTED');
    expect(await code(store.delete('k'))).toBe('UNSUPPORTED');
    expect(await code((async () => { for await (const _ of store.list('')) void _; })())).toBe('UNSUPPORTED');
  });
  it('registers http and https through the plugin and keeps secrets out of url and messages', async () => {
    const host = await createHost();
    await host.use(storeHttp());
    expect(host.listStores().filter((s) => s.provider === '@genolake/store-http').map((s) => s.scheme).sort()).toEqual(['http', 'https']);
    const secret = 'sig=SECRETSIGNATURE123';
    const s = await host.openStore(`http://user:hunter2pass@127.0.0.1:${server.port}/files?${secret}`);
    expect(s.url).not.toMatch(/SECRETSIGNATURE123|hunter2pass/);
    expect(await s.get('r.bin', { range: { offset: 0, length: 4 } })).toEqual(bytes.slice(0, 4));
    const err = await s.get('missing').catch((e: Error) => e);
    expect(String(err)).not.toMatch(/SECRETSIGNATURE123|hunter2pass/);
    await s.close?.();
  });
});

describe('servers that ignore or break Range', () => {
  let ignoring: RangeServer;
  let liar: Server;
  let liarUrl: string;
  beforeAll(async () => {
    writeFileSync(join(tmp, 'files/big.bin'), patternBytes(4 * 1024 * 1024, 5));
    ignoring = await startRangeServer(tmp, { ignoreRange: true });
    // Answers every range with 206 but the wrong Content-Range, or a short body.
    liar = createServer((req, res) => {
      if (req.url?.includes('shift')) res.writeHead(206, { 'content-range': 'bytes 1-4/100', 'content-length': '4' }).end('abcd');
      else {
        res.writeHead(206, { 'content-range': 'bytes 0-9/100', 'content-length': '10' });
        res.write('abc');
        setTimeout(() => res.destroy(), 20);
      }
    });
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
    liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await ignoring.close();
    liar.closeAllConnections();
    await new Promise((r) => liar.close(r));
  });
  it('a 200 to a ranged read takes only the needed front of a small object', async () => {
    const s = new HttpStore(`${ignoring.url}/files`);
    expect(await s.get('r.bin', { range: { offset: 100, length: 50 } })).toEqual(bytes.slice(100, 150));
    await s.close();
  });
  it('a 200 to a far range of a large object fails clearly instead of downloading it', async () => {
    const s = new HttpStore(`${ignoring.url}/files`);
    const before = ignoring.stats.bytes;
    const e = await s.get('big.bin', { range: { offset: 3_000_000, length: 10 } }).catch((x: Error) => x);
    expect((e as { code?: string }).code).toBe('UNSUPPORTED');
    expect(String(e)).toMatch(/ignored the Range header/);
    await s.close();
    await new Promise((r) => setTimeout(r, 50));
    // The server queued the whole body, but the client hung up: far less than 4 MiB went out.
    expect(ignoring.stats.bytes - before).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
  it('a 206 with the wrong Content-Range is corrupt, a short one is transient; neither is data', async () => {
    const s = new HttpStore(liarUrl, { timeoutMs: 2_000 });
    expect(await code(s.get('shift', { range: { offset: 0, length: 4 } }))).toBe('CORRUPT');
    expect(await code(s.get('short', { range: { offset: 0, length: 10 } }))).toBe('TRANSIENT');
    await s.close();
  });
});

describe('a dataset served over HTTP, queried through the CLI', () => {
  let host: DefaultHost;
  const run = async (argv: string[]) => {
    const io = captureIO();
    const c = await main(argv, io, { cwd: tmp, env: {}, host });
    return { code: c, out: io.out(), err: io.err() };
  };
  beforeAll(async () => {
    host = await createHost();
    const conv = await run(['convert', GENES, join(tmp, 'files/genes.gl'), '--option', 'chunkRecords=250']);
    expect(conv.err).toBe('');
  });
  it('returns exactly the local answer, reading only bounded ranges', async () => {
    const local = await run(['query', join(tmp, 'files/genes.gl'), 'chr1:1000001-5000000', 'chr17']);
    expect(local.code).toBe(0);
    expect(local.out.split('\n').length).toBeGreaterThan(5);
    server.stats.whole = server.stats.ranged = server.stats.requests = 0;
    server.stats.log.length = 0;
    const remote = await run(['query', `${server.url}/files/genes.gl`, 'chr1:1000001-5000000', 'chr17', '--stats']);
    expect(remote.code, remote.err).toBe(0);
    expect(remote.out).toBe(local.out);
    const m = /stats: (\d+) requests, (\d+) bytes read/.exec(remote.err);
    expect(m, remote.err).not.toBeNull();
    // Chunk data is read only by bounded ranges; whole reads are the small manifest objects.
    expect(server.stats.ranged).toBeGreaterThan(0);
    const whole = server.stats.log.filter((l) => l.startsWith('GET') && l.endsWith(' whole'));
    for (const l of whole) expect(l, server.stats.log.join('\n')).toMatch(/\/_manifest\/|_metadata|\/_index\//);
    for (const l of server.stats.log.filter((x) => x.includes('bytes='))) expect(l).toMatch(/bytes=\d+-\d+$/);
    expect(Number(m![1])).toBe(server.stats.requests);

    const explain = await run(['query', `${server.url}/files/genes.gl`, 'chr17', '--explain', '--json']);
    expect(explain.code, explain.err).toBe(0);
  });
  it('keeps a signed-URL token and a password out of --explain, --stats and errors', async () => {
    const root = `http://reader:PASSWORDxyz@127.0.0.1:${server.port}/files`;
    for (const argv of [
      ['query', `${root}/genes.gl?sig=SECRETsig123`, 'chr17', '--explain'],
      ['query', `${root}/genes.gl?sig=SECRETsig123`, 'chr17', '--stats'],
      ['query', `${root}/missing.gl?sig=SECRETsig123`, 'chr17'],
    ]) {
      const r = await run(argv);
      expect(r.out + r.err).not.toMatch(/SECRETsig123|PASSWORDxyz/);
    }
  });
  it('export over HTTP equals the source records', async () => {
    const r = await run(['export', `${server.url}/files/genes.gl`, '-']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trimEnd().split('\n').sort()).toEqual(readFileSync(GENES, 'utf8').trimEnd().split('\n').sort());
  });
  it('a commit through an http:// URL fails clearly', async () => {
    const r = await run(['convert', GENES, `${server.url}/files/other.gl`]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/read-only/);
  });
});
