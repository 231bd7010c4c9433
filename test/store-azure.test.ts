// @genolake/store-azure against a real Azure Blob server: Azurite 3.35.0 on a free loopback
// port, started for this file and stopped after. Runs the ObjectStore conformance suite, a
// CLI convert -> query -> export with AZURE_STORAGE_CONNECTION_STRING, a two-writer commit
// race, the credential chain (key, SAS in the URL) and checks that secrets never show.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ContainerClient, ContainerSASPermissions, StorageSharedKeyCredential, generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHost, type DefaultHost, type ObjectStore } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { describeObjectStore, patternBytes, chunked, runCommitRace } from '@genolake/testkit';
import azureStore from '@genolake/store-azure';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from './servers/azurite.js';

const GENES = fileURLToPath(new URL('../examples/data/genes.bed', import.meta.url));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const WRONG_KEY = Buffer.from('not the key of this account, but valid base64!!').toString('base64');

let azurite: Azurite;
let host: DefaultHost;
let env: Record<string, string>;
let n = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
  for (const name of ['conformance', 'cli', 'race', 'misc']) {
    await new ContainerClient(`${azurite.blobEndpoint}/${name}`, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).create();
  }
  host = await createHost();
  await host.use(azureStore({ env }));
});
afterAll(async () => {
  await azurite?.stop();
});

/** A fresh prefix per test, so every test sees an empty store. */
const open = (container: string, options: Record<string, unknown> = {}): Promise<ObjectStore> =>
  host.openStore(`az://${AZURITE_ACCOUNT}/${container}/run-${++n}`, options);

describeObjectStore('Azure Blob (Azurite)', async () => ({ store: await open('conformance') }), { conditional: true, slow: true });

describe('Azure store specifics', () => {
  it('pages listings (page size 2) and keeps lexicographic order', async () => {
    const store = await open('misc', { listPageSize: 2 });
    const keys = ['k/0', 'k/1', 'k/2', 'k/3', 'k/4', 'k/5', 'k/6'];
    await Promise.all(keys.map((k) => store.put(k, enc(k))));
    const listed: string[] = [];
    for await (const o of store.list('k/')) listed.push(o.key);
    expect(listed).toEqual(keys);
  });

  it('stages streamed bodies as blocks and enforces conditions on the block commit', async () => {
    const store = await open('misc', { blockSize: 1024 * 1024, concurrency: 2 });
    const bytes = patternBytes(5 * 1024 * 1024 + 99, 5);
    const first = await store.put('blocks/obj', chunked(bytes, 300_000), { ifNoneMatch: '*' });
    expect(first.size).toBe(bytes.byteLength);
    await expect(store.put('blocks/obj', chunked(bytes, 300_000), { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    const second = await store.put('blocks/obj', chunked(bytes.subarray(0, 3_000_000), 250_000), { ifMatch: first.etag });
    await expect(store.put('blocks/obj', chunked(bytes, 300_000), { ifMatch: first.etag })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await store.head('blocks/obj')).etag).toBe(second.etag);
    const mid = await store.get('blocks/obj', { range: { offset: 1_048_000, length: 2000 } });
    expect(Buffer.from(mid).equals(Buffer.from(bytes.subarray(1_048_000, 1_050_000)))).toBe(true);
  });

  it('accepts the explicit-endpoint form with a SAS in the URL and never shows the SAS', async () => {
    const sas = generateBlobSASQueryParameters(
      { containerName: 'misc', permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 3600_000) },
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
    ).toString();
    const sig = new URLSearchParams(sas).get('sig')!;
    const fresh = await createHost();
    await fresh.use(azureStore({ env: {} }));
    const store = await fresh.openStore(`azure+http://127.0.0.1:${azurite.port}/${AZURITE_ACCOUNT}/misc/sas-${++n}?${sas}`);
    expect(store.url).toBe(`azure+http://127.0.0.1:${azurite.port}/${AZURITE_ACCOUNT}/misc/sas-${n}`);
    await store.put('x', enc('via sas'));
    expect(new TextDecoder().decode(await store.get('x'))).toBe('via sas');
    const err = (await store.get('missing').then(() => { throw new Error('expected get to fail'); }, (e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    for (const text of [err.message, String(err.cause), store.url]) {
      expect(text).not.toContain(sig);
      expect(text).not.toContain(encodeURIComponent(sig));
    }
  });

  it('an authentication failure names the problem but never the account key', async () => {
    const bad = azurite.connectionString.replace(AZURITE_KEY, WRONG_KEY);
    const fresh = await createHost();
    await fresh.use(azureStore({ env: { AZURE_STORAGE_CONNECTION_STRING: bad }, retry: false }));
    const store = await fresh.openStore(`az://${AZURITE_ACCOUNT}/misc/auth`);
    const err = (await store.put('x', enc('x')).then(() => { throw new Error('expected put to fail'); }, (e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(err.message).toMatch(/access denied \(HTTP 403/);
    let text = `${err.message}\n${err.stack}`;
    for (let c = err.cause; c instanceof Error; c = c.cause) text += `\n${c.message}\n${c.stack}`;
    expect(text).not.toContain(WRONG_KEY);
    expect(text).not.toContain(AZURITE_KEY);
    // A malformed connection string is refused without quoting it.
    const broken = await createHost();
    await broken.use(azureStore({ env: { AZURE_STORAGE_CONNECTION_STRING: `AccountKey=${WRONG_KEY}` } }));
    const e2 = (await broken.openStore(`az://${AZURITE_ACCOUNT}/misc/x`).then(() => { throw new Error('expected open to fail'); }, (e: unknown) => e)) as Error;
    expect(e2.message).toMatch(/AZURE_STORAGE_CONNECTION_STRING has an AccountKey but no AccountName/);
    expect(e2.message).not.toContain(WRONG_KEY);
  });

  it('refuses a connection string for another account than the URL names', async () => {
    await expect(host.openStore('az://otheraccount/misc/x')).rejects.toThrow(/is for storage account "devstoreaccount1", but the URL az:\/\/otheraccount\/misc\/x names "otheraccount"/);
  });
});

describe('two writers racing on Azure (server-enforced If-None-Match)', () => {
  it('20 rounds: all 40 commits land, nothing lost', async () => {
    const url = `az://${AZURITE_ACCOUNT}/race/ds-${++n}`;
    const [a, b] = [await host.openStore(url), await host.openStore(url)];
    await runCommitRace(a, b);
  });
});

describe('the CLI on az:// with AZURE_STORAGE_CONNECTION_STRING', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'genolake-az-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function run(argv: string[], extraEnv: Record<string, string> = {}) {
    const io = captureIO();
    // The plugin is discovered and loaded lazily, as for a user; the standard variable reaches
    // the store through the environment given to main() (not process.env).
    const cliHost = await createHost();
    const code = await main(argv, io, { cwd: tmp, env: { ...env, ...extraEnv }, host: cliHost });
    return { code, out: io.out(), err: io.err() };
  }

  it('convert -> query -> export round-trips genes.bed; explain and errors show no key', async () => {
    const conn = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
    {
      const ds = `az://${AZURITE_ACCOUNT}/cli/genes`;
      const conv = await run(['convert', GENES, ds, '--option', 'chunkRecords=500'], conn);
      expect(conv.err).toBe('');
      expect(conv.code).toBe(0);
      expect(conv.out).toMatch(/version 1, 3000 records in \d+ chunks/);

      const lines = readFileSync(GENES, 'utf8').trimEnd().split('\n');
      const want = lines.filter((l) => {
        const [c, s, e] = l.split('\t');
        return c === 'chr1' && Number(s) < 5_000_000 && 1_000_000 < Number(e);
      });
      const q = await run(['query', ds, 'chr1:1000001-5000000'], conn);
      expect(q.code).toBe(0);
      expect(q.out).toBe(`${want.join('\n')}\n`);

      const exp = await run(['export', ds, '-'], conn);
      expect(exp.code).toBe(0);
      expect(exp.out).toBe(readFileSync(GENES, 'utf8'));

      const ex = await run(['query', ds, 'chr1:1-2000000', '--explain'], conn);
      expect(ex.err).toMatch(/^plan: \d+ objects/);
      const missing = await run(['query', `az://${AZURITE_ACCOUNT}/cli/nothing-here`, 'chr1'], { ...conn, GENOLAKE_DEBUG: '1' });
      expect(missing.code).not.toBe(0);
      for (const text of [conv.out, q.err, ex.err, ex.out, missing.err]) expect(text).not.toContain(AZURITE_KEY);

      const wrong = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString.replace(AZURITE_KEY, WRONG_KEY) };
      const denied = await run(['info', ds], { ...wrong, GENOLAKE_DEBUG: '1' });
      expect(denied.code).toBe(2);
      expect(denied.err).toMatch(/access denied/);
      expect(denied.err).not.toContain(WRONG_KEY);
    }
  });
});
