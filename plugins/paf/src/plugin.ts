/**
 * The plugin entry (`@genolake/paf/plugin`): registers the paf driver, its codecs and the `bam-to-paf`,
 * `paf-query` and `paf-to-bam` commands. Default export is a factory (style rule 11).
 */
import { definePlugin, type Plugin } from '@genolake/core/plugin';
import { ensureCodecs } from './codecs/index.js';
import { driver } from './driver.js';
import { bamToPafCommand } from './commands/bam-to-paf.js';
import { pafQueryCommand } from './commands/paf-query.js';
import { pafToBamCommand } from './commands/paf-to-bam.js';

export interface PafPluginOptions {
  /** Register the CLI commands (default true). */
  commands?: boolean;
}

export default function paf(options: PafPluginOptions = {}): Plugin {
  return definePlugin({
    name: '@genolake/paf',
    apiVersion: 1,
    version: '0.1.0',
    setup(host) {
      host.registerDriver(driver);
      ensureCodecs(host);
      if (options.commands === false) return;
      host.registerCommand(bamToPafCommand);
      host.registerCommand(pafQueryCommand);
      host.registerCommand(pafToBamCommand);
    },
  });
}

export const plugin: Plugin = paf();
