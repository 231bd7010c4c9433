/**
 * Starts the GCS test server (gcs-emulator.cjs beside this file: the firebase-tools Storage
 * emulator plus a precondition front) on a free loopback port, with HOME and TMPDIR in a
 * fresh temp directory, and stops it by pid.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, stopChild, waitForHttp } from './azurite.js';

export interface GcsEmulator {
  port: number;
  /** Value for STORAGE_EMULATOR_HOST. */
  host: string;
  projectId: string;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startGcsEmulator(options: { preconditions?: boolean } = {}): Promise<GcsEmulator> {
  const script = fileURLToPath(new URL('./gcs-emulator.cjs', import.meta.url));
  const home = mkdtempSync(join(tmpdir(), 'genolake-gcs-emu-'));
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, HOME: home, TMPDIR: home, PORT: String(port), GCS_SHIM_PRECONDITIONS: options.preconditions === false ? '0' : '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const cleanup = async (): Promise<void> => {
    await stopChild(child);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForHttp(port, child, 60_000);
  } catch (e) {
    await cleanup();
    throw new Error(`GCS emulator did not start: ${(e as Error).message}\n${stderr}`);
  }
  const host = `http://127.0.0.1:${port}`;
  return {
    port,
    host,
    projectId: 'demo-test',
    createBucket: (name) =>
      new Promise((resolve, reject) => {
        const req = request(`${host}/storage/v1/b?project=demo-test`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 || res.statusCode === 409 ? resolve() : reject(new Error(`bucket create: HTTP ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ name }));
      }),
    stop: cleanup,
  };
}
