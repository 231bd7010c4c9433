/**
 * @google-cloud/storage failures -> core's error classes. Only a short, redacted summary of
 * what the service said is kept (as the cause); the SDK's error object is dropped because it
 * carries the request and response, including the Authorization header.
 *
 *   404                                  NotFoundError
 *   412 on a create (ifGenerationMatch=0) AlreadyExistsError
 *   412 otherwise                        PreconditionFailedError
 *   401 / 403                            AccessDeniedError (credentials or permissions)
 *   408, 429, 5xx, resets, timeouts      TransientError (core's withRetry retries)
 *   our AbortSignal fired                AbortedError
 */
import {
  AbortedError, AlreadyExistsError, GenolakeError, InvalidArgumentError, NotFoundError, PreconditionFailedError, TransientError, UnsupportedError, AccessDeniedError } from '@genolake/core';

export interface ErrorContext {
  op: string;
  /** Display URL of the object (no secrets). */
  target: string;
  create?: boolean;
  signal?: AbortSignal;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Masks bearer tokens, OAuth tokens and private keys should a message ever echo them. */
export function redact(text: string): string {
  return text
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***')
    .replace(/("?(?:access_token|refresh_token|id_token|client_secret|private_key)"?\s*[:=]\s*"?)[^"&,\s}]+/gi, '$1***')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '***');
}

interface SdkError {
  name?: string;
  message?: string;
  code?: number | string;
  status?: number;
  response?: { status?: number };
}

export function mapGcsError(e: unknown, ctx: ErrorContext): Error {
  if (e instanceof GenolakeError) return e;
  if (ctx.signal?.aborted) return new AbortedError(`${ctx.op} ${ctx.target} aborted`, { cause: ctx.signal.reason });
  if (typeof e !== 'object' || e === null) return new TransientError(`${ctx.op} ${ctx.target} failed: ${redact(String(e))}`);
  const err = e as SdkError;
  const status = typeof err.code === 'number' ? err.code : (err.status ?? err.response?.status);
  const netCode = typeof err.code === 'string' ? err.code : undefined;
  const first = redact(String(err.message ?? err.name ?? 'error').split('\n')[0]!.trim().slice(0, 300));
  const said = status !== undefined ? `HTTP ${status}: ${first}` : netCode && !first.includes(netCode) ? `${netCode}: ${first}` : first;
  const opts = { cause: new Error(said) };
  const what = `${ctx.op} ${ctx.target}`;

  if (status === undefined) {
    if ((netCode && NETWORK_CODES.has(netCode)) || err.name === 'AbortError' || err.name === 'TimeoutError' || /timeout|socket hang up/i.test(first)) {
      return new TransientError(`${what} failed: ${said}`, opts);
    }
    if (/Could not load the default credentials|Unable to detect a Project Id/i.test(first)) {
      return new InvalidArgumentError(`${what}: no usable Google credentials (${said}); set GOOGLE_APPLICATION_CREDENTIALS or run gcloud auth application-default login`, opts);
    }
    return e instanceof Error ? e : new TransientError(`${what} failed: ${said}`, opts);
  }
  if (status === 404) return new NotFoundError(`object not found: ${ctx.target} (${said})`, opts);
  if (status === 412) {
    if (ctx.create) return new AlreadyExistsError(`object already exists: ${ctx.target}`, opts);
    return new PreconditionFailedError(`object changed: ${ctx.target}`, opts);
  }
  if (status === 401 || status === 403) return new AccessDeniedError(`${what}: access denied (${said}); check the Google credentials, their permissions and userProject for requester-pays buckets`, opts);
  if (status === 408 || status === 429 || status >= 500) return new TransientError(`${what} failed: ${said}`, opts);
  if (status === 400) return new InvalidArgumentError(`${what} was refused: ${said}`, opts);
  return new UnsupportedError(`${what} failed: ${said}`, opts);
}
