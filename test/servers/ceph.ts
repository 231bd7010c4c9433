/**
 * Ceph radosgw on loopback for the S3 tests: runs the project's own ceph-up.sh on free ports
 * under a temp dir, and stops it with ceph-down.sh (by the pids it recorded). radosgw is the
 * only local S3 server we know that enforces If-None-Match / If-Match on PutObject.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));

export const CEPH_ACCESS_KEY = 'emuaccess';
export const CEPH_SECRET_KEY = 'emusecretemusecret';

export interface CephServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** True when the Debian packages are installed (ceph-mon, ceph-osd, radosgw). */
export function cephInstalled(): boolean {
  return ['/usr/bin/radosgw', '/usr/bin/ceph-mon', '/usr/bin/ceph-osd', '/usr/bin/radosgw-admin'].every((p) => existsSync(p));
}

/**
 * A free port below Linux's ephemeral range (32768+). Ports from listen(0) are ephemeral, and
 * while ceph-up.sh starts (seconds) the kernel may hand the same number to an outgoing
 * connection of another test file as its local port; the monitor then cannot bind it and the
 * cluster hangs (seen with parallel test files). Outgoing connections never use these ports.
 */
export async function freePort(low = 20_000, high = 32_000): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = low + Math.floor(Math.random() * (high - low));
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${low}-${high}`);
}

/**
 * Starts a fresh cluster; a start that fails (once seen in CI: radosgw not up within 150 s while
 * every test file ran in parallel on 2 cores) is cleaned up and tried once more on new ports and
 * a new directory, by which time the load of the suite's first minutes has passed.
 */
export async function startCeph(): Promise<CephServer> {
  try {
    return await startCephOnce(150_000);
  } catch (first) {
    process.stderr.write(`ceph: first start failed, starting afresh (${String((first as Error).message).split('\n')[0]})\n`);
    return startCephOnce(150_000);
  }
}

async function startCephOnce(timeoutMs: number): Promise<CephServer> {
  const dir = mkdtempSync(join(tmpdir(), 'genolake-ceph-'));
  const runDir = join(dir, 'ceph');
  const port = await freePort();
  let monPort = await freePort();
  while (monPort === port) monPort = await freePort();
  const env = { ...process.env, PREFIX: '', RUN: runDir, RGW_PORT: String(port), MON_PORT: String(monPort), AK: CEPH_ACCESS_KEY, SK: CEPH_SECRET_KEY };
  const stop = async () => {
    await run('bash', [join(HERE, 'ceph-down.sh')], { env }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Two tries stay below the test's hook timeout, so a stuck start is cleaned up here, not orphaned.
    await launch(join(HERE, 'ceph-up.sh'), env, timeoutMs);
  } catch (e) {
    const logs = ['rgw.out', 'mon.out', 'osd.out', 'admin.err'].map((f) => tail(join(runDir, 'log', f))).join('\n');
    await stop();
    throw new Error(`ceph-up.sh failed: ${(e as Error).message}\n${logs}`);
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, accessKeyId: CEPH_ACCESS_KEY, secretAccessKey: CEPH_SECRET_KEY, stop };
}

/**
 * Runs the launcher in its own process group, so a timeout ends it and every helper it
 * started (radosgw-admin, the ceph CLI) by that group's id; the daemons it leaves running on
 * success are stopped later by ceph-down.sh from their pid files.
 */
function launch(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`exit ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

function tail(file: string): string {
  try {
    return `--- ${file}\n${readFileSync(file, 'utf8').slice(-1500)}`;
  } catch {
    return '';
  }
}
