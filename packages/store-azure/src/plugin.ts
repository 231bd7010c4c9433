/**
 * The plugin: registers `az://account/container/prefix` plus the explicit-endpoint forms
 * `azure+https://…` and `azure+http://…` (see url.ts for why not plain `https`).
 */
import { definePlugin } from '@genolake/core/plugin';
import type { Plugin } from '@genolake/core/plugin';
import { mergeSettings, openAzureStore, type AzureSettings } from './open.js';

export const AZURE_SCHEMES = ['az', 'azure+https', 'azure+http'] as const;

/** Plugin factory; `defaults` apply to every store the host opens (store options override). */
export default function azureStore(defaults: AzureSettings = {}): Plugin {
  return definePlugin({
    name: '@genolake/store-azure',
    apiVersion: 1,
    version: '0.1.0',
    setup(host) {
      for (const scheme of AZURE_SCHEMES) {
        host.registerStore({
          scheme,
          provider: '@genolake/store-azure',
          description: scheme === 'az' ? 'Azure Blob Storage (az://account/container/prefix)' : `Azure Blob Storage at an explicit endpoint (${scheme}://host/…)`,
          open: (url, options) => openAzureStore(url, mergeSettings(defaults, options)),
        });
      }
    },
  });
}
