// The @genolake/cli programmatic surface: run the CLI in-process (tests, embedding).
export { main, type MainOptions } from './main.js';
export type { CliCommand, Session } from './command.js';
export { BUILTIN_COMMANDS, topLevelHelp } from './help.js';
export { listInstalled, type PluginListing } from './commands/plugins.js';
export { captureIO, type CapturedIO } from './capture-io.js';
