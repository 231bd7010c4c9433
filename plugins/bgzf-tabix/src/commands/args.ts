/**
 * A small getopt for the htslib-style commands: bundled short flags (`-dc`), short options with
 * attached or separate values (`-l5`, `-@ 4`), long options (`--threads=4`, `--threads 4`),
 * `--` to end options, and `-` as a positional (stdin).
 */
import { InvalidArgumentError } from '@genolake/core';

export interface OptionSpec {
  short?: string;
  long: string;
  /** Takes a value. */
  value?: boolean;
  /** May be repeated (values collected in order). */
  multiple?: boolean;
}

export interface ParsedArgs {
  /** Keyed by long name: true for flags, the value (or values) for options. */
  options: Map<string, string | true | string[]>;
  positionals: string[];
}

export function parseArgs(command: string, argv: string[], specs: OptionSpec[]): ParsedArgs {
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const options = new Map<string, string | true | string[]>();
  const positionals: string[] = [];
  const set = (spec: OptionSpec, value: string | true): void => {
    if (spec.multiple && typeof value === 'string') {
      const prev = options.get(spec.long);
      options.set(spec.long, [...(Array.isArray(prev) ? prev : []), value]);
    } else options.set(spec.long, value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const spec = byLong.get(name);
      if (!spec) throw new InvalidArgumentError(`${command}: unknown option --${name} (see ${command} -h)`);
      if (!spec.value) {
        if (eq >= 0) throw new InvalidArgumentError(`${command}: option --${name} takes no value`);
        set(spec, true);
      } else if (eq >= 0) set(spec, arg.slice(eq + 1));
      else {
        if (i + 1 >= argv.length) throw new InvalidArgumentError(`${command}: option --${name} needs a value`);
        set(spec, argv[++i]!);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const spec = byShort.get(arg[j]!);
        if (!spec) throw new InvalidArgumentError(`${command}: unknown option -${arg[j]} (see ${command} -h)`);
        if (!spec.value) {
          set(spec, true);
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest) set(spec, rest);
        else {
          if (i + 1 >= argv.length) throw new InvalidArgumentError(`${command}: option -${spec.short} needs a value`);
          set(spec, argv[++i]!);
        }
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { options, positionals };
}

/** An integer option value, checked against a range. */
export function intOption(command: string, args: ParsedArgs, long: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = args.options.get(long);
  if (v === undefined) return undefined;
  const text = Array.isArray(v) ? v[v.length - 1]! : String(v);
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${command}: --${long} expects an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? '' : max}, got "${text}"`);
  }
  return n;
}

/** A string option value (the last when repeated). */
export function stringOption(args: ParsedArgs, long: string): string | undefined {
  const v = args.options.get(long);
  if (v === undefined || v === true) return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}
