// Start-up: the paf and bgzf-tabix plugin entries register drivers and commands whose
// implementations are imported on first use. Loading a plugin imports names, summaries and help
// only (both plugins keep them in commands/specs.ts, shared with the command modules); checked
// here against the commands' own specs.
import { describe, expect, it } from 'vitest';
import { createHost } from '@genolake/core';
import bgzfTabix from '../plugins/bgzf-tabix/src/plugin.js';
import { bgzipCommand } from '../plugins/bgzf-tabix/src/commands/bgzip.js';
import { keyindexCommand } from '../plugins/bgzf-tabix/src/commands/keyindex.js';
import { tabixCommand } from '../plugins/bgzf-tabix/src/commands/tabix.js';
import pafPlugin from '../plugins/paf/src/plugin.js';
import { bamToPafCommand } from '../plugins/paf/src/commands/bam-to-paf.js';
import { pafQueryCommand } from '../plugins/paf/src/commands/paf-query.js';
import { pafToBamCommand } from '../plugins/paf/src/commands/paf-to-bam.js';

describe('lazy plugin entries', () => {
  it('register the same command names, summaries and help as the implementations', async () => {
    const host = await createHost();
    await host.use(bgzfTabix());
    await host.use(pafPlugin());
    for (const real of [bgzipCommand, tabixCommand, keyindexCommand, bamToPafCommand, pafQueryCommand, pafToBamCommand]) {
      const lazy = host.getCommand(real.name)!;
      expect({ name: lazy.name, summary: lazy.summary, help: lazy.help }).toEqual({ name: real.name, summary: real.summary, help: real.help });
      expect(lazy.run).not.toBe(real.run);
    }
  });

  it('run the implementation on first use', async () => {
    const host = await createHost();
    await host.use(bgzfTabix());
    await host.use(pafPlugin());
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => void out.push(s) }, stderr: { write: () => undefined } } as never;
    expect(await host.getCommand('paf-query')!.run(['--help'], { host, io })).toBe(0);
    expect(await host.getCommand('bgzip')!.run(['--help'], { host, io })).toBe(0);
    expect(out.join('')).toBe(pafQueryCommand.help + bgzipCommand.help);
  });

  it('the paf driver keeps sniff and metadata without loading the reader or writer', async () => {
    const host = await createHost();
    await host.use(pafPlugin());
    const d = host.getDriver('paf');
    expect(d.outputFormats).toEqual(['sam', 'bam', 'jsonl', 'arrow']);
    expect(d.sniff!(new Uint8Array([0x42, 0x41, 0x4d, 1]), 'x')).toBe(0.9);
  });
});
