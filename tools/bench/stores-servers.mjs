// Loopback servers for tools/bench/stores.mjs, in plain .mjs (the test/servers/*.ts helpers
// are TypeScript and run under vitest). Every server started here is stopped by its pid.
//  - startCeph: the project's test/servers/ceph-up.sh on free ports (as test/servers/ceph.ts),
//    stopped with ceph-down.sh (pids it recorded); `gc()` runs radosgw-admin gc process.
//  - startAzurite / startGcsEmulator: as test/servers/azurite.ts and gcs-emulator.ts.
//  - startRangeServer: a static server with single bounded Range support (store-http target).
//  - startCountingProxy: a transparent HTTP proxy that counts requests and response body
//    bytes actually sent to the client (the idea of shared/tools/count-proxy.mjs, on free ports).
import { execFile, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { root } from './data.mjs';

const run = promisify(execFile);
const SERVERS = join(root, 'test/servers');

export const CEPH_ACCESS_KEY = 'emuaccess';
export const CEPH_SECRET_KEY = 'emusecretemusecret';
/** Azurite's well-known development account (published in the Azurite docs; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function cephInstalled() {
  return ['/usr/bin/radosgw', '/usr/bin/ceph-mon', '/usr/bin/ceph-osd', '/usr/bin/radosgw-admin'].every((p) => existsSync(p));
}

/** A free port below the ephemeral range (see test/servers/ceph.ts for why). */
export async function freePort(low = 20_000, high = 32_000) {
  for (let i = 0; i < 100; i++) {
    const port = low + Math.floor(Math.random() * (high - low));
    const free = await new Promise((resolve) => {
      const s = createNetServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${low}-${high}`);
}

export async function startCeph() {
  const dir = mkdtempSync(join(tmpdir(), 'genolake-bench-ceph-'));
  const runDir = join(dir, 'ceph');
  const port = await freePort();
  let monPort = await freePort();
  while (monPort === port) monPort = await freePort();
  const env = { ...process.env, PREFIX: '', RUN: runDir, RGW_PORT: String(port), MON_PORT: String(monPort), AK: CEPH_ACCESS_KEY, SK: CEPH_SECRET_KEY };
  const stop = async () => {
    await run('bash', [join(SERVERS, 'ceph-down.sh')], { env }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await launch(join(SERVERS, 'ceph-up.sh'), env, 150_000);
  } catch (e) {
    const logs = ['rgw.out', 'mon.out', 'osd.out', 'admin.err'].map((f) => tail(join(runDir, 'log', f))).join('\n');
    await stop();
    throw new Error(`ceph-up.sh failed: ${e.message}\n${logs}`);
  }
  const conf = join(runDir, 'ceph.conf');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    accessKeyId: CEPH_ACCESS_KEY,
    secretAccessKey: CEPH_SECRET_KEY,
    pids: () => ['mon', 'osd', 'rgw'].map((n) => Number(readFileSync(join(runDir, `${n}.pid`), 'utf8'))),
    /** Frees deleted and overwritten objects now (rgw defers it by hours; memstore holds 4 GiB). */
    gc: () => run('timeout', ['120', '/usr/bin/radosgw-admin', '-c', conf, 'gc', 'process', '--include-all'], { env }).catch(() => undefined),
    stop,
  };
}

/** Runs the launcher in its own process group; a timeout kills that group by its id. */
function launch(script, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d.toString()));
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

function tail(file) {
  try {
    return `--- ${file}\n${readFileSync(file, 'utf8').slice(-1500)}`;
  } catch {
    return '';
  }
}

async function waitForHttp(port, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before answering on port ${port}`);
    const up = await new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM to the child by its pid, SIGKILL after 5 s. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startAzurite() {
  const pkg = createRequire(join(root, 'package.json')).resolve('azurite/package.json');
  const main = join(dirname(pkg), 'dist', 'src', 'blob', 'main.js');
  const port = await freePort();
  const child = spawn(process.execPath, [main, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck', '--silent'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-4000)));
  try {
    await waitForHttp(port, child);
  } catch (e) {
    await stopChild(child);
    throw new Error(`Azurite did not start: ${e.message}\n${stderr}`);
  }
  return { port, pid: child.pid, stop: () => stopChild(child) };
}

export async function startGcsEmulator() {
  const home = mkdtempSync(join(tmpdir(), 'genolake-bench-gcs-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(SERVERS, 'gcs-emulator.cjs')], {
    env: { ...process.env, HOME: home, TMPDIR: home, PORT: String(port), GCS_SHIM_PRECONDITIONS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async () => {
    await stopChild(child);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForHttp(port, child, 60_000);
  } catch (e) {
    await stop();
    throw new Error(`GCS emulator did not start: ${e.message}\n${stderr}`);
  }
  const host = `http://127.0.0.1:${port}`;
  const createBucket = (name) =>
    new Promise((resolve, reject) => {
      const req = http.request(`${host}/storage/v1/b?project=demo-test`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 || res.statusCode === 409 ? resolve() : reject(new Error(`bucket create: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ name }));
    });
  return { port, host, pid: child.pid, projectId: 'demo-test', createBucket, stop };
}

/** Static files under `dir` with HEAD and single `Range: bytes=a-b|a-|-n` (206/416), keep-alive. */
export async function startRangeServer(dir) {
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
      const file = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      if (!file.startsWith(normalize(dir + sep))) return void res.writeHead(403).end();
      const st = await stat(file).catch(() => undefined);
      if (!st?.isFile()) return void res.writeHead(404, { 'content-length': '0' }).end();
      const size = st.size;
      const headers = { etag: `"${size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`, 'last-modified': st.mtime.toUTCString(), 'accept-ranges': 'bytes' };
      let start = 0, end = size - 1, status = 200;
      const m = req.headers.range ? /^bytes=(\d*)-(\d*)$/.exec(req.headers.range) : undefined;
      if (req.headers.range) {
        if (!m || (m[1] === '' && m[2] === '')) return void res.writeHead(400).end();
        if (m[1] === '') start = Math.max(0, size - Number(m[2]));
        else (start = Number(m[1])), m[2] !== '' && (end = Math.min(Number(m[2]), size - 1));
        if (start >= size || end < start) return void res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' }).end();
        status = 206;
      }
      const length = size === 0 ? 0 : end - start + 1;
      res.writeHead(status, { ...headers, 'content-length': String(length), ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) });
      if (req.method === 'HEAD' || length === 0) return void res.end();
      const s = createReadStream(file, { start, end });
      s.on('error', () => res.destroy());
      s.pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return { port, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/**
 * A proxy on a free loopback port in front of `upstreamPort`: forwards every request as is
 * (Host header included, so SigV4 signatures stay valid) and counts requests, methods and the
 * response body bytes it actually sent to the client. `take()` returns the counts and resets.
 */
export async function startCountingProxy(upstreamPort) {
  let counts = { requests: 0, bytes: 0, methods: {}, writes: [] };
  const server = http.createServer((req, res) => {
    counts.requests++;
    counts.methods[req.method] = (counts.methods[req.method] ?? 0) + 1;
    if (req.method !== 'GET' && req.method !== 'HEAD') counts.writes.push(`${req.method} ${req.url}`);
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.on('data', (d) => {
        if (res.destroyed) return;
        counts.bytes += d.length;
        res.write(d);
      });
      r.on('end', () => res.end());
      res.on('close', () => {
        if (!r.complete) r.destroy(), up.destroy();
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    port,
    take() {
      const c = counts;
      counts = { requests: 0, bytes: 0, methods: {}, writes: [] };
      return c;
    },
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
