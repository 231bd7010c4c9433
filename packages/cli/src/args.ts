/**
 * Option parsing on node:util parseArgs, with every mistake turned into an
 * InvalidArgumentError (exit code 2) that names the command.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidArgumentError } from '@genolake/core';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseCommand(command: string, argv: string[], options: OptionSpecs): Parsed {
  try {
    const r = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new InvalidArgumentError(`${command}: ${msg.replace(/\. To specify a positional.*$/, '')} (see genolake ${command} --help)`, { cause: e });
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** A non-negative integer option, or undefined when absent. */
export function int(p: Parsed, name: string, command: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`${command}: --${name} needs a non-negative integer, got "${v}"`);
  }
  return n;
}

/** `--option k=v` pairs into an object; numbers and true/false become typed values. */
export function keyValues(pairs: string[], command: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${command}: --option expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    out[key] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

const DURATION_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** '7d', '12h', '30m', '45s', '2w' -> milliseconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`${what}: bad duration "${text}" (use e.g. 45s, 30m, 12h, 7d, 2w)`);
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

/** Arguments that must be present: names them in the error when they are not. */
export function requirePositionals(p: Parsed, names: string[], command: string): string[] {
  if (p.positionals.length < names.length) {
    const missing = names.slice(p.positionals.length).map((n) => `<${n}>`).join(' ');
    throw new InvalidArgumentError(`${command}: missing ${missing} (see genolake ${command} --help)`);
  }
  return p.positionals.slice(0, names.length);
}
