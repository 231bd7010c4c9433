/**
 * The built-in command table, every command module loaded (for the programmatic API), and
 * the top-level help. The CLI itself dispatches through `catalog.ts`, which loads only the
 * command that runs.
 */
import type { CliCommand } from './command.js';
import { convertCommand } from './commands/convert.js';
import { exportCommand } from './commands/export.js';
import { infoCommand } from './commands/info.js';
import { logCommand } from './commands/log.js';
import { pluginsCommand } from './commands/plugins.js';
import { queryCommand } from './commands/query.js';
import { vacuumCommand } from './commands/vacuum.js';
import { verifyCommand } from './commands/verify.js';

export { topLevelHelp } from './catalog.js';

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
