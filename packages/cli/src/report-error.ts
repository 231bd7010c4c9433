/**
 * Turns any failure into one line on stderr and an exit code. A stack trace only with
 * GENOLAKE_DEBUG=1: users get the sentence, developers opt into the rest.
 */

/** Duck-typed so an error from a plugin's own copy of core still maps to its exit code. */
interface CodedError {
  message: string;
  code: string;
  exitCode?: number;
}

function isCoded(e: unknown): e is CodedError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

export function exitCodeOf(e: unknown): number {
  if (isCoded(e) && typeof e.exitCode === 'number' && e.exitCode > 0) return e.exitCode;
  return 1;
}

/** The single line printed for an error (without the trailing newline). */
export function errorLine(e: unknown): string {
  let msg: string;
  if (e instanceof Error) {
    msg = e.message;
    // Node system errors (EPIPE, EACCES) and unexpected errors keep their code for searching.
    const code = (e as { code?: unknown }).code;
    if (!isGenolakeLike(e) && typeof code === 'string' && !msg.includes(code)) msg = `${code}: ${msg}`;
  } else {
    msg = String(e);
  }
  return `genolake: ${msg.replace(/\s*\n\s*/g, ' ').trim()}`;
}

function isGenolakeLike(e: Error): boolean {
  return typeof (e as { exitCode?: unknown }).exitCode === 'number';
}

export function debugText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  let out = e.stack ?? e.message;
  let cause: unknown = e.cause;
  while (cause instanceof Error) {
    out += `\nCaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return out;
}
