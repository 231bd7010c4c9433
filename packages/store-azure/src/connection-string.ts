/**
 * Parses an Azure Storage connection string (`AZURE_STORAGE_CONNECTION_STRING`):
 * `;`-separated `Key=Value` pairs, keys case-insensitive, values may contain `=` (base64 keys,
 * SAS tokens). Errors never quote the string: it holds the account key.
 */
import { InvalidArgumentError } from '@genolake/core';

export interface ConnectionString {
  accountName?: string;
  accountKey?: string;
  sas?: string;
  blobEndpoint?: string;
  protocol: 'https' | 'http';
  endpointSuffix: string;
}

export function parseConnectionString(text: string, source = 'the connection string'): ConnectionString {
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${source} is malformed: expected Key=Value pairs separated by ';'`);
    fields.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
  }
  if (fields.get('usedevelopmentstorage') === 'true') {
    throw new InvalidArgumentError(`${source}: UseDevelopmentStorage=true is not supported; give the emulator's AccountName, AccountKey and BlobEndpoint`);
  }
  const protocol = (fields.get('defaultendpointsprotocol') ?? 'https').toLowerCase();
  if (protocol !== 'https' && protocol !== 'http') throw new InvalidArgumentError(`${source}: DefaultEndpointsProtocol must be https or http`);
  const out: ConnectionString = { protocol, endpointSuffix: fields.get('endpointsuffix') ?? 'core.windows.net' };
  const set = (key: keyof ConnectionString, field: string): void => {
    const v = fields.get(field);
    if (v) (out as unknown as Record<string, string>)[key] = v;
  };
  set('accountName', 'accountname');
  set('accountKey', 'accountkey');
  set('sas', 'sharedaccesssignature');
  set('blobEndpoint', 'blobendpoint');
  if (out.sas?.startsWith('?')) out.sas = out.sas.slice(1);
  if (out.blobEndpoint) out.blobEndpoint = out.blobEndpoint.replace(/\/+$/, '');
  if (!out.accountKey && !out.sas) throw new InvalidArgumentError(`${source} has neither AccountKey nor SharedAccessSignature`);
  if (out.accountKey && !out.accountName) throw new InvalidArgumentError(`${source} has an AccountKey but no AccountName`);
  if (!out.blobEndpoint && !out.accountName) throw new InvalidArgumentError(`${source} has neither BlobEndpoint nor AccountName`);
  return out;
}
