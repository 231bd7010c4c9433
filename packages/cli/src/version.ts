/** The CLI's own package version, read from its package.json (works from src/ and dist/). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function cliVersion(): string {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    cached = pkg.version ?? '0.0.0';
  }
  return cached;
}
