import { describe, expect, it } from 'vitest';
import { parseConnectionString } from './connection-string.js';
import { parseAzureUrl } from './url.js';

describe('parseAzureUrl', () => {
  it('reads az://account/container/prefix', () => {
    expect(parseAzureUrl(new URL('az://acct1/data/genomes/hg38'))).toEqual({ account: 'acct1', container: 'data', prefix: 'genomes/hg38', display: 'az://acct1/data/genomes/hg38' });
    expect(parseAzureUrl(new URL('az://acct1/data/'))).toMatchObject({ container: 'data', prefix: '' });
  });
  it('reads the hosted and path-style endpoint forms, keeping a URL SAS out of display', () => {
    const hosted = parseAzureUrl(new URL('azure+https://acct1.blob.core.windows.net/data/p?sv=2024&sig=SECRETSIG'));
    expect(hosted).toMatchObject({ account: 'acct1', endpoint: 'https://acct1.blob.core.windows.net', sas: 'sv=2024&sig=SECRETSIG', display: 'azure+https://acct1.blob.core.windows.net/data/p' });
    const emu = parseAzureUrl(new URL('azure+http://127.0.0.1:10000/devstoreaccount1/c01/x/y'));
    expect(emu).toMatchObject({ account: 'devstoreaccount1', container: 'c01', prefix: 'x/y', endpoint: 'http://127.0.0.1:10000/devstoreaccount1' });
  });
  it('rejects bad names, missing containers, credentials in the URL and unsafe prefixes', () => {
    expect(() => parseAzureUrl(new URL('az://acct1'))).toThrow(/names no container/);
    expect(() => parseAzureUrl(new URL('az://acct1/Bad_Name'))).toThrow(/bad Azure container name/);
    expect(() => parseAzureUrl(new URL('az://a/c1'))).toThrow(/bad Azure storage account name/);
    const e = (() => { try { parseAzureUrl(new URL('azure+https://user:hunter2pass@acct1.blob.core.windows.net/c1')); } catch (x) { return x as Error; } })();
    expect(e?.message).toMatch(/must not carry credentials/);
    expect(e?.message).not.toContain('hunter2pass');
    expect(() => parseAzureUrl(new URL('az://acct1/c01/a/b%5Cc'))).toThrow(/backslash/);
  });
});

describe('parseConnectionString', () => {
  it('reads key, endpoint and SAS forms', () => {
    expect(parseConnectionString('DefaultEndpointsProtocol=http;AccountName=a1b;AccountKey=abc==;BlobEndpoint=http://h:1/a1b/;')).toEqual({
      protocol: 'http', endpointSuffix: 'core.windows.net', accountName: 'a1b', accountKey: 'abc==', blobEndpoint: 'http://h:1/a1b',
    });
    expect(parseConnectionString('BlobEndpoint=https://x.blob.core.windows.net;SharedAccessSignature=?sv=1&sig=zz')).toMatchObject({ sas: 'sv=1&sig=zz' });
  });
  it('refuses incomplete strings without quoting them', () => {
    for (const s of ['AccountKey=SECRETKEY==', 'AccountName=a1b', 'garbage-SECRET']) {
      let msg = '';
      try {
        parseConnectionString(s, 'AZURE_STORAGE_CONNECTION_STRING');
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(/^AZURE_STORAGE_CONNECTION_STRING /);
      expect(msg).not.toContain('SECRET');
    }
  });
});
