// The HTTP backend behind a fault-injecting proxy (test/servers/fault-proxy.ts) in front of a
// real range server: through core's withRetry every read completes with exactly the clean
// bytes or fails with a typed error; a truncated body is never data; and a CLI query over the
// faulty store prints exactly what a clean one does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, withRetry, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { patternBytes } from '@genolake/testkit';
import { HttpStore } from '@genolake/store-http';
import { startRangeServer, type RangeServer } from './servers/http-range-server.js';
import { startFaultProxy, type FaultProxy } from './servers/fault-proxy.js';

const GENES = fileURLToPath(new URL('../examples/data/genes.bed', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'genolake-http-faults-'));
const bytes = patternBytes(300_000, 13);
let server: RangeServer;

beforeAll(async () => {
  writeFileSync(join(tmp, 'obj.bin'), bytes);
  server = await startRangeServer(tmp);
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('HttpStore through a faulty proxy', () => {
  it('every ranged read and head completes with the clean bytes through withRetry', async () => {
    const proxy = await startFaultProxy({ target: server.url, seed: 7, rate: 0.3, slowMs: 600 });
    const store = withRetry(new HttpStore(proxy.url, { timeoutMs: 300 }), { retries: 10, baseDelayMs: 2, maxDelayMs: 20 });
    try {
      for (let i = 0; i < 150; i++) {
        const offset = (i * 7919) % 290_000;
        const length = 1 + ((i * 104_729) % 20_000);
        const got = await store.get('obj.bin', { range: { offset, length } });
        expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length))), `read ${i}`).toBe(true);
      }
      expect((await store.get('obj.bin')).byteLength).toBe(bytes.byteLength);
      expect((await store.head('obj.bin')).size).toBe(bytes.byteLength);
      for (const f of ['drop', 'reset', '500', '503', 'slow', 'truncate'] as const) expect(proxy.counts[f], f).toBeGreaterThan(0);
    } finally {
      await store.close?.();
      await proxy.close();
    }
  });

  it('a truncated body is never returned as data: without retries every read fails TRANSIENT', async () => {
    const proxy = await startFaultProxy({ target: server.url, schedule: () => 'truncate' });
    const store = new HttpStore(proxy.url, { timeoutMs: 2_000 });
    try {
      for (const range of [{ offset: 0, length: 100_000 }, { offset: 5, length: 3 }, undefined]) {
        const e = await store.get('obj.bin', range ? { range } : {}).then(
          (b) => new Error(`accepted ${b.byteLength} bytes`),
          (x: unknown) => x,
        );
        expect((e as { code?: string }).code, String(e)).toBe('TRANSIENT');
      }
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('a server that stays down fails clearly once the retry budget is spent', async () => {
    const proxy = await startFaultProxy({ target: server.url, schedule: () => '503' });
    const retries: number[] = [];
    const store = withRetry(new HttpStore(proxy.url), { retries: 3, baseDelayMs: 1, onRetry: (r) => retries.push(r.attempt) });
    try {
      const e = (await store.get('obj.bin', { range: { offset: 0, length: 10 } }).catch((x: unknown) => x)) as Error & { code?: string };
      expect(e.code).toBe('TRANSIENT');
      expect(e.message).toMatch(/HTTP 503/);
      expect(retries).toEqual([1, 2, 3]);
    } finally {
      await store.close?.();
      await proxy.close();
    }
  });

  it('a slow server hits the per-request timeout, and an abort ends a stuck read', async () => {
    const proxy = await startFaultProxy({ target: server.url, schedule: () => 'slow', slowMs: 2_000 });
    const store = new HttpStore(proxy.url, { timeoutMs: 200 });
    try {
      const t0 = Date.now();
      const e = (await store.get('obj.bin', { range: { offset: 0, length: 10 } }).catch((x: unknown) => x)) as Error & { code?: string };
      expect(e.code).toBe('TRANSIENT');
      expect(e.message).toMatch(/no response for 200 ms/);
      expect(Date.now() - t0).toBeLessThan(1_500);
      const slow = new HttpStore(proxy.url, { timeoutMs: 10_000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const a = (await slow.get('obj.bin', { range: { offset: 0, length: 10 }, signal: ac.signal }).catch((x: unknown) => x)) as { code?: string };
      expect(a.code).toBe('ABORTED');
      await slow.close();
    } finally {
      await store.close();
      await proxy.close();
    }
  });
});

describe('a CLI query over a faulty HTTP store', () => {
  let host: DefaultHost;
  const run = async (argv: string[]) => {
    const io = captureIO();
    const code = await main(argv, io, { cwd: tmp, env: {}, host });
    return { code, out: io.out(), err: io.err() };
  };
  beforeAll(async () => {
    host = await createHost();
    expect((await run(['convert', GENES, join(tmp, 'genes.gl'), '--option', 'chunkRecords=100'])).code).toBe(0);
  });
  it('returns exactly the records of a clean query', async () => {
    // Faults the plugin's default retries absorb; 'slow' stays under the 30 s default timeout.
    const proxy = await startFaultProxy({ target: server.url, seed: 42, rate: 0.25, slowMs: 150 });
    try {
      for (const region of [['chr1:1000001-90000000', 'chr7'], ['chrX'], []]) {
        proxy.enabled = false;
        const clean = await run(['query', `${proxy.url}/genes.gl`, ...region]);
        proxy.enabled = true;
        const faulty = await run(['query', `${proxy.url}/genes.gl`, ...region]);
        expect(clean.code, clean.err).toBe(0);
        expect(faulty.code, faulty.err).toBe(0);
        expect(faulty.out).toBe(clean.out);
        expect(clean.out.length).toBeGreaterThan(100);
      }
      const injected = Object.entries(proxy.counts).filter(([k]) => k !== 'pass').reduce((s, [, v]) => s + v, 0);
      expect(injected).toBeGreaterThan(5);
    } finally {
      await proxy.close();
    }
  });
});
