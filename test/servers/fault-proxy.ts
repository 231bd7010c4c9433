/**
 * A loopback HTTP proxy that injects faults in front of a real server, request by request, on
 * a seeded schedule: dropped connections, TCP resets, 500/503 answers, slow answers,
 * truncated bodies, and replies lost after the server acted (the ambiguous case for
 * conditional puts). Requests are forwarded unchanged (Host included, so SigV4 signatures
 * still verify), so any HTTP client can sit in front: the HTTP store, the S3 SDK, the CLI.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | 'pass'
  /** Close the client connection before forwarding (nothing reaches the server). */
  | 'drop'
  /** Send a TCP RST before forwarding. */
  | 'reset'
  | '500'
  | '503'
  /** Forward, then hold the answer for `slowMs` before sending it. */
  | 'slow'
  /** Forward, send the headers and only part of the body, then close the connection. */
  | 'truncate'
  /** Forward, let the server act, then close the connection without answering. */
  | 'lost-reply';

export interface FaultProxyOptions {
  /** Upstream origin, e.g. `http://127.0.0.1:7480`. */
  target: string;
  seed?: number;
  /** Share of requests that get a fault (default 0.2). */
  rate?: number;
  /** Faults to draw from (default all but 'lost-reply'). */
  faults?: Fault[];
  /** Delay of a 'slow' answer (default 1,500 ms). */
  slowMs?: number;
  /** Overrides the seeded draw: the fault for the n-th request (0-based). */
  schedule?: (n: number, req: IncomingMessage) => Fault;
}

export interface FaultProxy {
  url: string;
  port: number;
  /** How many times each fault was applied. */
  counts: Record<Fault, number>;
  /** Turns fault injection off or on (a clean pass through the same proxy). */
  enabled: boolean;
  close(): Promise<void>;
}

/** mulberry32: small, seedable, good enough to spread faults. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = rng(options.seed ?? 1);
  const rate = options.rate ?? 0.2;
  const faults = options.faults ?? ['drop', 'reset', '500', '503', 'slow', 'truncate'];
  const slowMs = options.slowMs ?? 1_500;
  const counts = Object.fromEntries(['pass', 'drop', 'reset', '500', '503', 'slow', 'truncate', 'lost-reply'].map((f) => [f, 0])) as Record<Fault, number>;
  const sockets = new Set<Socket>();
  let n = 0;
  const proxy: FaultProxy = { url: '', port: 0, counts, enabled: true, close: async () => undefined };

  const pick = (req: IncomingMessage): Fault => {
    const i = n++;
    if (!proxy.enabled) return 'pass';
    if (options.schedule) return options.schedule(i, req);
    return random() < rate ? faults[Math.floor(random() * faults.length)]! : 'pass';
  };

  const server = createServer((req, res) => {
    const fault = pick(req);
    counts[fault]++;
    const socket = req.socket;
    if (fault === 'drop') return void socket.destroy();
    if (fault === 'reset') return void socket.resetAndDestroy();
    if (fault === '500' || fault === '503') {
      req.resume();
      const body = fault === '503' ? '<Error><Code>SlowDown</Code><Message>injected</Message></Error>' : 'injected fault';
      res.writeHead(Number(fault), { 'content-type': fault === '503' ? 'application/xml' : 'text/plain', 'content-length': Buffer.byteLength(body) });
      return void res.end(body);
    }
    forward(req, res, fault);
  });

  function forward(req: IncomingMessage, res: ServerResponse, fault: Fault): void {
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        const send = () => {
          if (res.destroyed) return void upRes.destroy();
          if (fault === 'lost-reply') {
            upRes.resume();
            return void req.socket.destroy();
          }
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          if (fault !== 'truncate') return void upRes.pipe(res);
          // Half of the announced body (at least one byte short), then a hard close.
          const announced = Number(upRes.headers['content-length'] ?? 0);
          let budget = announced > 1 ? Math.floor(announced / 2) : 0;
          upRes.on('data', (chunk: Buffer) => {
            if (budget <= 0) return;
            const part = chunk.subarray(0, budget);
            budget -= part.byteLength;
            res.write(part);
            if (budget <= 0) {
              upRes.destroy();
              setTimeout(() => req.socket.destroy(), 5);
            }
          });
          upRes.on('end', () => req.socket.destroy());
        };
        if (fault === 'slow') setTimeout(send, slowMs);
        else send();
      },
    );
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.port = port;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
