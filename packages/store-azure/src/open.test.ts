// Retries and timeouts against a loopback server that misbehaves on purpose: core's
// withRetry is the only retry layer (the SDK's maxTries is 1), so N retries mean exactly N+1
// requests; a stalled response becomes a TransientError after requestTimeoutMs.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openAzureStore } from './open.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

const KEY = Buffer.from('a fake key for a fake server').toString('base64');

describe('openAzureStore retries and timeouts', () => {
  it('retries 503 through core only: 2 retries = 3 requests, then TransientError', async () => {
    let requests = 0;
    const port = await serve((_req, res) => {
      requests++;
      res.writeHead(503, { 'x-ms-error-code': 'ServerBusy' }).end();
    });
    const retried: number[] = [];
    const store = await openAzureStore(new URL(`azure+http://127.0.0.1:${port}/acct1/c01/p`), {
      env: { AZURE_STORAGE_KEY: KEY },
      retry: { retries: 2, baseDelayMs: 1, onRetry: (i) => retried.push(i.attempt) },
    });
    await expect(store.head('k')).rejects.toMatchObject({ code: 'TRANSIENT', message: expect.stringMatching(/HTTP 503 ServerBusy/) });
    expect(requests).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  it('a stalled request times out per attempt and is transient', async () => {
    const port = await serve(() => undefined); // never answers
    const store = await openAzureStore(new URL(`azure+http://127.0.0.1:${port}/acct1/c01`), {
      env: { AZURE_STORAGE_KEY: KEY },
      requestTimeoutMs: 200,
      retry: false,
    });
    const t0 = Date.now();
    await expect(store.get('k', { range: { offset: 0, length: 10 } })).rejects.toMatchObject({ code: 'TRANSIENT' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('cancels an in-flight request through the caller signal', async () => {
    const port = await serve(() => undefined);
    const store = await openAzureStore(new URL(`azure+http://127.0.0.1:${port}/acct1/c01`), { env: { AZURE_STORAGE_KEY: KEY } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(store.head('k', { signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
