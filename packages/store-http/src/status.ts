/** HTTP status codes to core's error classes, shared by every request of the HTTP store. */
import { AccessDeniedError, NotFoundError, TransientError, UnsupportedError } from '@genolake/core';

export function statusError(status: number, what: string): Error {
  if (status === 404 || status === 410) return new NotFoundError(`object not found: ${what} (HTTP ${status})`);
  if (status === 401 || status === 403) return new AccessDeniedError(`${what}: access denied (HTTP ${status}); check the credentials or signed URL`);
  // Throttling, timeouts and server faults are worth another try; other 4xx are final.
  if (status === 408 || status === 425 || status === 429 || status >= 500) return new TransientError(`${what}: server answered HTTP ${status}`);
  return new UnsupportedError(`${what}: unexpected HTTP ${status}`);
}
