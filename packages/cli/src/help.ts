/** The built-in command table and the top-level help, which also lists plugin commands from manifests. */
import type { PluginManifest } from '@genolake/core';
import { table } from './cli-io.js';
import type { CliCommand } from './command.js';
import { convertCommand } from './commands/convert.js';
import { exportCommand } from './commands/export.js';
import { infoCommand } from './commands/info.js';
import { logCommand } from './commands/log.js';
import { pluginsCommand } from './commands/plugins.js';
import { queryCommand } from './commands/query.js';
import { vacuumCommand } from './commands/vacuum.js';
import { verifyCommand } from './commands/verify.js';

export const BUILTIN_COMMANDS: readonly CliCommand[] = [
  convertCommand,
  queryCommand,
  exportCommand,
  infoCommand,
  logCommand,
  verifyCommand,
  vacuumCommand,
  pluginsCommand,
];

export function topLevelHelp(manifests: readonly PluginManifest[]): string {
  const builtin = table(BUILTIN_COMMANDS.map((c) => [`  ${c.name}`, c.summary]));
  const pluginRows: string[][] = [];
  for (const m of manifests) {
    for (const c of m.commands) {
      if (!BUILTIN_COMMANDS.some((b) => b.name === c) && !pluginRows.some((r) => r[0] === `  ${c}`)) pluginRows.push([`  ${c}`, `from ${m.name}@${m.version}`]);
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
  GENOLAKE_PLUGINS     ':'-separated plugin package directories or names
  GENOLAKE_DEBUG=1     print stack traces with errors

Exit codes: 0 ok, 1 error, 2 usage or input error, 3 corrupt data, 4 write conflict.
`;
}
