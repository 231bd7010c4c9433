/**
 * SDK errors to core's classes. The SDK's own error objects are not kept as `cause`: S3
 * error bodies can carry the request signature and string-to-sign, which must not reach
 * logs. The cause is a short description (error name, HTTP status, request id) instead.
 */
import { AbortedError, AccessDeniedError, AlreadyExistsError, GenolakeError, NotFoundError, PreconditionFailedError, TransientError, UnsupportedError } from '@genolake/core';

/** Any other refusal by the server (a 4xx that no class above describes). */
export class S3RequestError extends GenolakeError {
  readonly code = 'S3_REQUEST';
}

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: unknown;
}

const NETWORK = /ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|socket hang up|aborted|premature close|TimeoutError|RequestTimeout/i;
const THROTTLE = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequests', 'RequestThrottled', 'ServiceUnavailable', 'InternalError']);
const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'AllAccessDisabled', 'AccountProblem']);

export type Condition = 'ifNoneMatch' | 'ifMatch' | undefined;

/** The HTTP status of an SDK error, if it got that far. */
export function statusOf(e: unknown): number | undefined {
  return (e as SdkError)?.$metadata?.httpStatusCode;
}

export function nameOf(e: unknown): string {
  const s = e as SdkError;
  return s?.name ?? s?.Code ?? 'Error';
}

export function mapS3Error(e: unknown, what: string, options: { signal?: AbortSignal; condition?: Condition } = {}): Error {
  if (e instanceof GenolakeError) return e;
  const s = (e ?? {}) as SdkError;
  const name = nameOf(e);
  const status = statusOf(e);
  const detail = new Error(`${name}${status ? ` (HTTP ${status})` : ''}${s.$metadata?.requestId ? `, request id ${s.$metadata.requestId}` : ''}`);
  if (options.signal?.aborted || name === 'AbortError') return new AbortedError(`${what} aborted`, { cause: options.signal?.reason ?? detail });
  if (status === 412 || name === 'PreconditionFailed') {
    if (options.condition === 'ifNoneMatch') return new AlreadyExistsError(`object already exists: ${what}`, { cause: detail });
    return new PreconditionFailedError(`object changed since it was read: ${what}`, { cause: detail });
  }
  if (name === 'NoSuchBucket') return new NotFoundError(`bucket not found: ${what}`, { cause: detail });
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') return new NotFoundError(`object not found: ${what}`, { cause: detail });
  if (status === 401 || status === 403 || DENIED.has(name)) {
    return new AccessDeniedError(`${what}: access denied (${name}); check the AWS credentials, region and requester-pays setting`, { cause: detail });
  }
  // 409 ConditionalRequestConflict / OperationAborted: a concurrent write on the same key is
  // in flight; a retry gets the real answer (412 or success).
  if (status === 409 || status === 408 || status === 429 || (status !== undefined && status >= 500) || THROTTLE.has(name)) {
    return new TransientError(`${what}: ${name}${status ? ` (HTTP ${status})` : ''}`, { cause: detail });
  }
  const code = s.code ?? '';
  if (status === undefined && (NETWORK.test(name) || NETWORK.test(code) || NETWORK.test(s.message ?? ''))) {
    return new TransientError(`${what}: connection failed (${code || name})`, { cause: detail });
  }
  if (name === 'NotImplemented' || status === 501) return new UnsupportedError(`${what}: the server does not implement this request`, { cause: detail });
  if (status === undefined) return new TransientError(`${what}: request failed (${code || name})`, { cause: detail });
  return new S3RequestError(`${what}: ${name} (HTTP ${status})`, { cause: detail });
}
