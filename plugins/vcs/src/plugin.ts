/** The plugin entry (`@genolake/vcs/plugin`): registers the vcs driver. Default export is a factory (style rule 11). */
import { definePlugin, type Plugin } from '@genolake/core/plugin';
import { driver } from './driver.js';

export default function vcs(): Plugin {
  return definePlugin({
    name: '@genolake/vcs',
    apiVersion: 1,
    version: '0.1.0',
    setup(host) {
      host.registerDriver(driver);
    },
  });
}

export const plugin: Plugin = vcs();
