/** The plugin: registers `gs://bucket/prefix` with the host. */
import { definePlugin } from '@genolake/core/plugin';
import type { Plugin } from '@genolake/core/plugin';
import { mergeSettings, openGcsStore, type GcsSettings } from './open.js';

/** Plugin factory; `defaults` apply to every store the host opens (store options override). */
export default function gcsStore(defaults: GcsSettings = {}): Plugin {
  return definePlugin({
    name: '@genolake/store-gcs',
    apiVersion: 1,
    version: '0.1.0',
    setup(host) {
      host.registerStore({
        scheme: 'gs',
        provider: '@genolake/store-gcs',
        description: 'Google Cloud Storage (gs://bucket/prefix; STORAGE_EMULATOR_HOST for emulators)',
        open: (url, options) => openGcsStore(url, mergeSettings(defaults, options)),
      });
    },
  });
}
