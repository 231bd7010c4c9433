/**
 * The plugin entry (`@genolake/paf/plugin`): registers the paf driver, its codecs and the `bam-to-paf`,
 * `paf-query` and `paf-to-bam` commands. Default export is a factory (style rule 11).
 *
 * Loading it is cheap: the driver imports its reader and writer on first use (driver.ts), and a
 * command's implementation is imported when it runs; only names, summaries and help are loaded
 * here. `genolake query` on a paf dataset went from 72 plugin modules to 24
 * (docs/formats/paf.md, "Start-up").
 */
import { definePlugin, type CommandContext, type CommandSpec, type Plugin } from '@genolake/core/plugin';
import { ensureCodecs } from './codecs/index.js';
import { driver } from './driver.js';
import { bamToPafSpec, pafQuerySpec, pafToBamSpec } from './commands/specs.js';

export interface PafPluginOptions {
  /** Register the CLI commands (default true). */
  commands?: boolean;
}

type CommandModule = { run(argv: string[], ctx: CommandContext): Promise<number> };

/** A command whose implementation module is imported when it first runs. */
function lazyCommand(spec: Omit<CommandSpec, 'run'>, load: () => Promise<CommandModule>): CommandSpec {
  return { ...spec, run: async (argv, ctx) => (await load()).run(argv, ctx) };
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
      host.registerCommand(lazyCommand(bamToPafSpec, () => import('./commands/bam-to-paf.js')));
      host.registerCommand(lazyCommand(pafQuerySpec, () => import('./commands/paf-query.js')));
      host.registerCommand(lazyCommand(pafToBamSpec, () => import('./commands/paf-to-bam.js')));
    },
  });
}

export const plugin: Plugin = paf();
