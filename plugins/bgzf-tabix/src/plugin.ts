/**
 * The plugin entry (`@genolake/bgzf-tabix/plugin`). As style rule 11 asks, the default export is a
 * factory returning the plugin object; `plugin` is that object with default options, for hosts
 * that take an object.
 */
import { PLUGIN_API_VERSION, definePlugin } from '@genolake/core/plugin';
import type { Plugin } from '@genolake/core/plugin';
import { bgzipCommand } from './commands/bgzip.js';
import { keyindexCommand } from './commands/keyindex.js';
import { tabixCommand } from './commands/tabix.js';

export interface BgzfTabixPluginOptions {
  /** Register the `bgzip`, `tabix` and `keyindex` CLI commands (default true). */
  commands?: boolean;
}

export default function bgzfTabix(options: BgzfTabixPluginOptions = {}): Plugin {
  return definePlugin({
    name: '@genolake/bgzf-tabix',
    apiVersion: PLUGIN_API_VERSION,
    version: '0.1.0',
    setup(host) {
      if (options.commands === false) return;
      host.registerCommand(bgzipCommand);
      host.registerCommand(tabixCommand);
      host.registerCommand(keyindexCommand);
    },
  });
}

export const plugin: Plugin = bgzfTabix();
