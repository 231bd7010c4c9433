/** The codecs paf registers besides core's: qualities (qualpack, qualrans; qualcm for chunks written before them), aux regrouping and read-name tokens. */
import type { Codec } from '@genolake/core';
import type { Host } from '@genolake/core/plugin';
import { auxSplitCodec } from './aux-split.js';
import { nameTokCodec } from './name-tok.js';
import { qualModelCodec } from './qual-model.js';
import { qualPackCodec } from './qual-pack.js';
import { qualRansCodec } from './qual-rans.js';

export const PAF_CODECS: readonly Codec[] = [qualPackCodec, qualRansCodec, qualModelCodec, auxSplitCodec, nameTokCodec];

/**
 * Registers the paf codecs on `host` unless it has them: the plugin's setup does this, and
 * the writer and reader call it too, so a host built without the plugin (tests, embedders
 * calling convertAlignments directly) still reads and writes paf streams.
 */
export function ensureCodecs(host: Host): void {
  const have = new Set(host.listCodecs().map((c) => c.id));
  for (const c of PAF_CODECS) if (!have.has(c.id)) host.registerCodec(c);
}
