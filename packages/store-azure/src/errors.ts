/**
 * Azure SDK failures -> core's error classes. What the service said survives as a short,
 * redacted cause (`HTTP 409 BlobAlreadyExists: The specified blob already exists.`); the
 * SDK's own error object is dropped because it carries the request (URL with SAS, headers).
 *
 *   404 BlobNotFound / ContainerNotFound      NotFoundError
 *   409 BlobAlreadyExists, 412 on a create    AlreadyExistsError (Azure answers If-None-Match:* with 409)
 *   412 ConditionNotMet                       PreconditionFailedError
 *   401 / 403                                 AccessDeniedError (credentials: a fix for the user, not a retry)
 *   408, 429, 5xx, resets, timeouts           TransientError (core's withRetry backs off and retries)
 *   our AbortSignal fired                     AbortedError
 */
import {
  AbortedError, AlreadyExistsError, GenolakeError, InvalidArgumentError, NotFoundError, PreconditionFailedError, TransientError, UnsupportedError, AccessDeniedError } from '@genolake/core';
import type { Secrets } from './redact.js';

export interface ErrorContext {
  /** e.g. `put az://acct/container/prefix/key` (no secrets). */
  what: string;
  /** The request was a create-if-absent put. */
  create?: boolean;
  signal?: AbortSignal;
  secrets: Secrets;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'REQUEST_SEND_ERROR']);
const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

interface SdkError {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  cause?: unknown;
  response?: { headers?: { get?(name: string): string | undefined } };
}

export function mapAzureError(e: unknown, ctx: ErrorContext): Error {
  if (e instanceof GenolakeError) return e;
  if (ctx.signal?.aborted) return new AbortedError(`${ctx.what} aborted`, { cause: ctx.signal.reason });
  if (typeof e !== 'object' || e === null) return new TransientError(`${ctx.what} failed: ${ctx.secrets.redact(String(e))}`);
  const err = e as SdkError;
  const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
  // Responses without a body (HEAD) carry the service's error code only in a header.
  const code = typeof err.code === 'string' ? err.code : err.response?.headers?.get?.('x-ms-error-code');
  const said = summary(err, status, code, ctx.secrets);
  const cause = new Error(said);
  const opts = { cause };

  if (err.name === 'AbortError') {
    // Our signal did not fire, so the SDK's per-try timeout (tryTimeoutInMs) did.
    return new TransientError(`${ctx.what} timed out`, opts);
  }
  if (err.name && CREDENTIAL_ERRORS.has(err.name)) {
    return new InvalidArgumentError(
      `${ctx.what}: no usable Azure credentials (${said}); set AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, or sign in for DefaultAzureCredential`,
      opts,
    );
  }
  if (status === undefined) {
    if (err.name === 'RestError' || (code && NETWORK_CODES.has(code)) || hasNetworkCause(err)) return new TransientError(`${ctx.what} failed: ${said}`, opts);
    return e instanceof Error ? e : new TransientError(`${ctx.what} failed: ${said}`, opts);
  }
  if (status === 404) {
    const what = code === 'ContainerNotFound' ? `container does not exist (${ctx.what})` : `object not found: ${ctx.what.replace(/^\w+ /, '')}`;
    return new NotFoundError(what, opts);
  }
  if (status === 409 && code === 'BlobAlreadyExists') return new AlreadyExistsError(`object already exists: ${ctx.what.replace(/^\w+ /, '')}`, opts);
  if (status === 412) {
    if (ctx.create) return new AlreadyExistsError(`object already exists: ${ctx.what.replace(/^\w+ /, '')}`, opts);
    return new PreconditionFailedError(`object changed: ${ctx.what.replace(/^\w+ /, '')} (${said})`, opts);
  }
  if (status === 401 || status === 403) {
    return new AccessDeniedError(`${ctx.what}: access denied (${said}); check the Azure credentials and their permissions`, opts);
  }
  if (status === 408 || status === 429 || status >= 500) return new TransientError(`${ctx.what} failed: ${said}`, opts);
  if (status === 409) return new TransientError(`${ctx.what} conflicted with another operation: ${said}`, opts);
  if (status === 400 && code === 'InvalidBlockList') {
    // Another writer committed this blob while our blocks were staged, discarding them.
    return new TransientError(`${ctx.what}: staged blocks were discarded by a concurrent write of the same blob`, opts);
  }
  if (status === 400) return new InvalidArgumentError(`${ctx.what} was refused: ${said}`, opts);
  return new UnsupportedError(`${ctx.what} failed: ${said}`, opts);
}

/** `HTTP 409 BlobAlreadyExists: The specified blob already exists.` — first line, redacted, short. */
function summary(err: SdkError, status: number | undefined, code: string | undefined, secrets: Secrets): string {
  let first = String(err.message ?? '').split('\n')[0]!.trim().slice(0, 300);
  if (first === 'Error' || first === `Error: HTTP ${status}` || first === `HTTP ${status}`) first = '';
  const head = [status !== undefined ? `HTTP ${status}` : undefined, code].filter(Boolean).join(' ');
  return secrets.redact(head ? (first && first !== code ? `${head}: ${first}` : head) : first || String(err.name ?? 'error'));
}

function hasNetworkCause(err: SdkError): boolean {
  let c: unknown = err.cause;
  for (let i = 0; i < 5 && typeof c === 'object' && c !== null; i++) {
    const code = (c as SdkError).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    c = (c as SdkError).cause;
  }
  return false;
}
