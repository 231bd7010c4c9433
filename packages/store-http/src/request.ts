/**
 * One HTTP exchange on node:http(s) with a keep-alive agent, an idle timeout, cancellation
 * and typed errors. The body is read on demand and only as far as needed: a caller that
 * wants 4 KiB of a response that turned out to be a whole 2 GiB object reads 4 KiB and
 * drops the connection.
 *
 * node:http rather than fetch: measured on this machine (Node 20.20, 4 KiB ranged GETs on
 * loopback, keep-alive, 8 in flight, 4,000 requests, warm run) node:http did ~11,000 req/s
 * vs ~4,600 for Node's built-in fetch (undici); and dropping an unwanted body is a plain
 * `req.destroy()`.
 */
import { request as httpRequest, type Agent, type IncomingHttpHeaders, type IncomingMessage, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AbortedError, TransientError, throwIfAborted } from '@genolake/core';

export interface ExchangeInit {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  agent: Agent;
  /** Idle timeout: no progress (connect, headers or body bytes) for this long fails the request. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** For messages: the redacted object URL and operation. */
  what: string;
}

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  /**
   * Reads the body, drops the first `skip` bytes, keeps at most `take` bytes, then closes
   * the connection if anything is left. With `exact`, fewer than `take` bytes is a
   * TransientError (a truncated body is never returned as data).
   */
  read(options: { skip?: number; take: number; exact: boolean }): Promise<Uint8Array>;
  /** Closes the response without reading it (keeps the socket only if it is already done). */
  discard(): void;
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE', 'HPE_INVALID_CONSTANT', 'HPE_INVALID_CHUNK_SIZE',
]);

class IdleTimeout extends Error {}

/** Maps what node:http throws into core's classes; a cause chain keeps the detail. */
export function networkError(e: unknown, what: string, signal?: AbortSignal): Error {
  if (e instanceof AbortedError || e instanceof TransientError) return e;
  if (signal?.aborted) return new AbortedError(`${what} aborted`, { cause: signal.reason });
  if (e instanceof IdleTimeout) return new TransientError(`${what}: ${e.message}`);
  const code = (e as { code?: string })?.code;
  const msg = (e as Error)?.message ?? String(e);
  if ((code && NETWORK_CODES.has(code)) || /socket hang up|aborted|premature/i.test(msg)) {
    return new TransientError(`${what}: connection failed (${code ?? msg})`, { cause: e });
  }
  return new TransientError(`${what}: request failed (${code ?? msg})`, { cause: e });
}

export function exchange(url: URL, init: ExchangeInit): Promise<Exchange> {
  throwIfAborted(init.signal, init.what);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Exchange>((resolve, reject) => {
    let req: ClientRequest;
    const onAbort = () => req.destroy(new AbortedError(`${init.what} aborted`, { cause: init.signal?.reason }));
    const cleanup = () => init.signal?.removeEventListener('abort', onAbort);
    try {
      req = send(url, { method: init.method, headers: init.headers, agent: init.agent });
    } catch (e) {
      reject(networkError(e, init.what, init.signal));
      return;
    }
    init.signal?.addEventListener('abort', onAbort, { once: true });
    // Socket idle timeout: covers connect, waiting for headers and stalls inside the body.
    req.setTimeout(init.timeoutMs, () => req.destroy(new IdleTimeout(`no response for ${init.timeoutMs} ms`)));
    req.once('error', (e) => {
      cleanup();
      reject(networkError(e, init.what, init.signal));
    });
    req.once('response', (res) => {
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        read: (o) => readBody(req, res, o, init).finally(cleanup),
        discard: () => {
          cleanup();
          if (res.complete) res.resume();
          else req.destroy();
        },
      });
    });
    req.end();
  });
}

async function readBody(
  req: ClientRequest,
  res: IncomingMessage,
  { skip = 0, take, exact }: { skip?: number; take: number; exact: boolean },
  init: ExchangeInit,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let seen = 0; // body bytes received, skipped ones included
  let kept = 0;
  try {
    // A body that ends before its Content-Length or chunk terminator (or a reset) throws here.
    for await (const chunk of res as AsyncIterable<Buffer>) {
      const from = Math.max(0, skip - seen);
      seen += chunk.byteLength;
      if (from >= chunk.byteLength) continue;
      const n = Math.min(chunk.byteLength - from, take - kept);
      parts.push(chunk.subarray(from, from + n));
      kept += n;
      if (kept === take) {
        // Enough: never download the rest of an over-long body.
        if (!res.complete) req.destroy();
        break;
      }
    }
  } catch (e) {
    throw networkError(e, init.what, init.signal);
  }
  if (exact && kept < take) {
    throw new TransientError(`${init.what}: truncated body, got ${kept} of ${take} bytes`);
  }
  return concat(parts, kept);
}

function concat(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
