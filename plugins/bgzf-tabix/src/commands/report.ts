/** How the commands end: one clear line on stderr and the error's exit code, never a stack. */
import { isGenolakeError } from '@genolake/core';
import { ReaderGoneError } from '../fs.js';

export function reportError(command: string, stderr: NodeJS.WritableStream, e: unknown): number {
  if (e instanceof ReaderGoneError) return 0; // `… | head`: nobody reads on, which is no failure
  if (isGenolakeError(e)) {
    stderr.write(`${command}: ${e.message}\n`);
    return e.exitCode;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string' && typeof err.message === 'string') {
    // Node fs errors (ENOENT, EACCES, EPIPE...) already name the path.
    stderr.write(`${command}: ${err.message}\n`);
    return 1;
  }
  stderr.write(`${command}: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}

/** Store options carrying the command's environment (credentials, endpoints) when it has one. */
export function envOf(ctx: { env?: Record<string, string | undefined> }): { env?: Record<string, string | undefined> } {
  return ctx.env ? { env: ctx.env } : {};
}
