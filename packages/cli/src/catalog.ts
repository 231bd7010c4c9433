/**
 * The built-in commands by name, each module imported only when its command runs, and the
 * top-level help (which lists plugin commands from manifests). Importing all eight command
 * modules up front cost every command ~20 modules of start-up; `help.ts` keeps the eager
 * table for the programmatic API. `catalog.test.ts` checks that names and summaries here
 * match the modules.
 */
import type { PluginManifest } from '@genolake/core';
import { table } from './cli-io.js';
import type { CliCommand } from './command.js';

export interface BuiltinEntry {
  name: string;
  summary: string;
  load(): Promise<CliCommand>;
}

export const BUILTIN_CATALOG: readonly BuiltinEntry[] = [
  { name: 'convert', summary: 'convert a file (path, URL or -) into a dataset', load: async () => (await import('./commands/convert.js')).convertCommand },
  { name: 'query', summary: 'read records by region, filter and fields', load: async () => (await import('./commands/query.js')).queryCommand },
  { name: 'export', summary: 'write a dataset (or regions of it) back to a file format', load: async () => (await import('./commands/export.js')).exportCommand },
  { name: 'info', summary: 'show a dataset: format, version, chunks, records, bytes, partitions, provenance', load: async () => (await import('./commands/info.js')).infoCommand },
  { name: 'log', summary: 'list dataset versions, newest first', load: async () => (await import('./commands/log.js')).logCommand },
  { name: 'verify', summary: 'check digests and stream checksums of every object (exit 3 on damage)', load: async () => (await import('./commands/verify.js')).verifyCommand },
  { name: 'vacuum', summary: 'delete old versions and unreferenced objects (--dry-run to preview)', load: async () => (await import('./commands/vacuum.js')).vacuumCommand },
  { name: 'plugins', summary: 'list installed formats, stores, codecs and commands (reads package.json only)', load: async () => (await import('./commands/plugins.js')).pluginsCommand },
];

export function findBuiltin(name: string): BuiltinEntry | undefined {
  return BUILTIN_CATALOG.find((c) => c.name === name);
}

export function topLevelHelp(manifests: readonly PluginManifest[]): string {
  const builtin = table(BUILTIN_CATALOG.map((c) => [`  ${c.name}`, c.summary]));
  const pluginRows: string[][] = [];
  for (const m of manifests) {
    for (const c of m.commands) {
      if (!findBuiltin(c) && !pluginRows.some((r) => r[0] === `  ${c}`)) pluginRows.push([`  ${c}`, `from ${m.name}@${m.version}`]);
    }
  }
  const formats = manifests.flatMap((m) => m.formats.map((f) => `${f} (${m.name})`));
  return `genolake: object-storage-native genomics datasets

Usage: genolake [--plugin PATH|NAME]... <command> [options]
       genolake <command> --help

Commands:
${builtin}
${pluginRows.length ? `\nPlugin commands:\n${table(pluginRows)}\n` : ''}
Installed formats: ${formats.join(', ') || 'none (install a format plugin, e.g. npm install @genolake/paf)'}

Global options:
  --plugin PATH|NAME   load a plugin from a package directory or name (repeatable);
                       GENOLAKE_PLUGINS=dir:name:... does the same
  -h, --help           help (also after any command)
  -V, --version        print the version

Environment:
  GENOLAKE_PLUGINS        ':'-separated plugin package directories or names
  GENOLAKE_DEBUG=1        print stack traces with errors
  GENOLAKE_DEBUG_TIMING=1 print start-up and command phases (ms) to stderr
  GENOLAKE_PLUGIN_CACHE=0 scan node_modules for plugins every time (no cache)

Exit codes: 0 ok, 1 error, 2 usage or input error, 3 corrupt data, 4 write conflict.
Output to a pipe whose reader goes away (... | head) ends a command at once, with 0.
`;
}
