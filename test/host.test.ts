import { describe, expect, it } from 'vitest';
import { createHost, PluginNotInstalledError } from '@genolake/core';

describe('host store registry', () => {
  it('opens mem:// stores that share a namespace within a host', async () => {
    const host = await createHost();
    const a = await host.openStore('mem://t/ds');
    await a.put('x', new TextEncoder().encode('hi'));
    const b = await host.openStore('mem://t');
    expect(new TextDecoder().decode(await b.get('ds/x'))).toBe('hi');
    const other = await createHost();
    const c = await other.openStore('mem://t/ds');
    await expect(c.get('x')).rejects.toThrow(/not found/);
  });
  it('names the package to install for a known but missing scheme', async () => {
    const host = await createHost();
    await expect(host.openStore('s3://bucket/x')).rejects.toThrow(PluginNotInstalledError);
    await expect(host.openStore('s3://bucket/x')).rejects.toThrow(/npm install @genolake\/store-s3/);
  });
});
