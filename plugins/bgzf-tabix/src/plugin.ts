/**
 * The plugin entry (`@genolake/bgzf-tabix/plugin`). As style rule 11 asks, the default export is a
 * factory returning the plugin object; `plugin` is that object with default options, for hosts
 * that take an object.
 *
 * Commands are registered lazily: their names, summaries and help (which the CLI prints without
 * running a command) are here, and a command's module, with the BGZF reader/writer, indexers,
 * key index and the inflate pool it needs, is imported when it runs. Loading the plugin for one
 * command then loads that command's modules only. Names, summaries and help come from
 * commands/specs.ts, which the command modules use too.
 */
import { PLUGIN_API_VERSION, definePlugin } from '@genolake/core/plugin';
import type { CommandSpec, Plugin } from '@genolake/core/plugin';
import { BGZIP, KEYINDEX, TABIX } from './commands/specs.js';

export interface BgzfTabixPluginOptions {
  /** Register the `bgzip`, `tabix` and `keyindex` CLI commands (default true). */
  commands?: boolean;
}

/** A command whose implementation is imported when it first runs. */
function lazyCommand(spec: Omit<CommandSpec, 'run'>, load: () => Promise<CommandSpec>): CommandSpec {
  return { ...spec, run: async (argv, ctx) => (await load()).run(argv, ctx) };
}

export default function bgzfTabix(options: BgzfTabixPluginOptions = {}): Plugin {
  return definePlugin({
    name: '@genolake/bgzf-tabix',
    apiVersion: PLUGIN_API_VERSION,
    version: '0.1.0',
    setup(host) {
      if (options.commands === false) return;
      host.registerCommand(lazyCommand(
        BGZIP,
        async () => (await import('./commands/bgzip.js')).bgzipCommand,
      ));
      host.registerCommand(lazyCommand(
        TABIX,
        async () => (await import('./commands/tabix.js')).tabixCommand,
      ));
      host.registerCommand(lazyCommand(
        KEYINDEX,
        async () => (await import('./commands/keyindex.js')).keyindexCommand,
      ));
    },
  });
}

export const plugin: Plugin = bgzfTabix();
