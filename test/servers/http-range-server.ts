/**
 * A static HTTP server for tests: serves one directory on 127.0.0.1 with a free port,
 * answers HEAD and GET with single `Range: bytes=a-b` / `a-` / `-n` requests (206, or 416 past
 * the end), weak-free ETags from size and mtime, and keep-alive. It counts requests and
 * body bytes so tests can assert what a query fetched. `ignoreRange` makes it behave like a
 * server that does not support ranges (200 with the whole body).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

export interface RangeServerOptions {
  ignoreRange?: boolean;
}

export interface RangeServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  stats: { requests: number; bytes: number; ranged: number; whole: number; log: string[] };
  options: RangeServerOptions;
  close(): Promise<void>;
}

export async function startRangeServer(root: string, options: RangeServerOptions = {}): Promise<RangeServer> {
  const stats = { requests: 0, bytes: 0, ranged: 0, whole: 0, log: [] as string[] };
  const server = createServer((req, res) => {
    stats.requests++;
    stats.log.push(`${req.method} ${req.url} ${req.headers.range ?? 'whole'}`);
    serve(root, req, res, options, stats).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    options,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(root: string, req: IncomingMessage, res: ServerResponse, options: RangeServerOptions, stats: RangeServer['stats']): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = normalize(join(root, path));
  if (!file.startsWith(normalize(root + sep))) {
    res.writeHead(403).end();
    return;
  }
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) {
    res.writeHead(404, { 'content-length': '0' }).end();
    return;
  }
  const size = st.size;
  const headers = { etag: `"${size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`, 'last-modified': st.mtime.toUTCString(), 'accept-ranges': 'bytes' };
  const range = options.ignoreRange ? undefined : req.headers.range;
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range);
    if (!m || (m[1] === '' && m[2] === '')) {
      res.writeHead(400).end();
      return;
    }
    if (m[1] === '') {
      start = Math.max(0, size - Number(m[2]));
    } else {
      start = Number(m[1]);
      if (m[2] !== '') end = Math.min(Number(m[2]), size - 1);
    }
    if (start >= size || end < start) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' }).end();
      return;
    }
    status = 206;
    stats.ranged++;
  } else if (req.method === 'GET') stats.whole++;
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(status, {
    ...headers,
    'content-length': String(length),
    ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  stats.bytes += length;
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
