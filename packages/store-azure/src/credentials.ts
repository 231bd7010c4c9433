/**
 * The Azure credentials chain, first match wins:
 *
 *   1. settings given in code or store options: `connectionString`, `accountKey`, `sasToken`,
 *      `credential` (any @azure/identity TokenCredential), `anonymous: true`
 *   2. a SAS token in the URL's query (`azure+https://…/container?sv=…&sig=…`)
 *   3. AZURE_STORAGE_CONNECTION_STRING (AccountKey or SharedAccessSignature, BlobEndpoint)
 *   4. AZURE_STORAGE_KEY (with AZURE_STORAGE_ACCOUNT, when set, naming the URL's account)
 *   5. AZURE_STORAGE_SAS_TOKEN
 *   6. DefaultAzureCredential (environment service principal, workload/managed identity,
 *      Azure CLI login …), loaded only when reached so key users never import @azure/identity.
 *
 * Every secret met on the way is registered with `Secrets` so no message can show it.
 */
import { AnonymousCredential, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import { InvalidArgumentError } from '@genolake/core';
import { parseConnectionString } from './connection-string.js';
import type { Secrets } from './redact.js';
import type { AzureLocation } from './url.js';

export interface AzureCredentialSettings {
  connectionString?: string;
  accountKey?: string;
  sasToken?: string;
  credential?: TokenCredential;
  /** Public containers: send no credentials at all. */
  anonymous?: boolean;
  /** Blob service endpoint for `az://` URLs, e.g. a private endpoint or an emulator. */
  endpoint?: string;
}

export interface AzureAuth {
  credential: StorageSharedKeyCredential | AnonymousCredential | TokenCredential;
  /** Blob service URL, no query. */
  endpoint: string;
  /** SAS query to append to every request URL (without '?'). */
  sas?: string;
  /** Where the credentials came from, for `info`/explain output (never the secret itself). */
  source: string;
}

type Env = Record<string, string | undefined>;

export async function resolveAzureAuth(loc: AzureLocation, settings: AzureCredentialSettings, env: Env, secrets: Secrets): Promise<AzureAuth> {
  for (const v of [settings.connectionString, settings.accountKey, settings.sasToken, loc.sas, env.AZURE_STORAGE_CONNECTION_STRING, env.AZURE_STORAGE_KEY, env.AZURE_STORAGE_SAS_TOKEN]) {
    secrets.add(v);
  }
  const defaultEndpoint = (protocol = 'https', suffix = 'core.windows.net'): string =>
    loc.endpoint ?? settings.endpoint?.replace(/\/+$/, '') ?? `${protocol}://${loc.account}.blob.${suffix}`;
  const withSas = (sas: string, source: string): AzureAuth => ({ credential: new AnonymousCredential(), endpoint: defaultEndpoint(), sas: sas.replace(/^\?/, ''), source });
  const withKey = (key: string, source: string): AzureAuth => ({ credential: sharedKey(loc.account, key, source), endpoint: defaultEndpoint(), source });

  if (settings.credential) return { credential: settings.credential, endpoint: defaultEndpoint(), source: 'credential option' };
  if (settings.anonymous) return { credential: new AnonymousCredential(), endpoint: defaultEndpoint(), source: 'anonymous' };
  if (settings.connectionString) return fromConnectionString(settings.connectionString, 'the connectionString option', loc, settings, secrets);
  if (settings.accountKey) return withKey(settings.accountKey, 'accountKey option');
  if (settings.sasToken) return withSas(settings.sasToken, 'sasToken option');
  if (loc.sas) return withSas(loc.sas, 'SAS in the URL');
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    return fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING, 'AZURE_STORAGE_CONNECTION_STRING', loc, settings, secrets);
  }
  const envAccount = env.AZURE_STORAGE_ACCOUNT?.toLowerCase();
  if (env.AZURE_STORAGE_KEY && (!envAccount || envAccount === loc.account)) return withKey(env.AZURE_STORAGE_KEY, 'AZURE_STORAGE_KEY');
  if (env.AZURE_STORAGE_SAS_TOKEN) return withSas(env.AZURE_STORAGE_SAS_TOKEN, 'AZURE_STORAGE_SAS_TOKEN');
  const { DefaultAzureCredential } = await import('@azure/identity');
  return { credential: new DefaultAzureCredential(), endpoint: defaultEndpoint(), source: 'DefaultAzureCredential' };
}

function sharedKey(account: string, key: string, source: string): StorageSharedKeyCredential {
  // Shared-key signing needs the base64 key; catch a mangled one here, not as a 403 later.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) throw new InvalidArgumentError(`${source} is not a base64 account key`);
  return new StorageSharedKeyCredential(account, key);
}

function fromConnectionString(text: string, source: string, loc: AzureLocation, settings: AzureCredentialSettings, secrets: Secrets): AzureAuth {
  const cs = parseConnectionString(text, source);
  secrets.add(cs.accountKey);
  secrets.add(cs.sas);
  if (cs.accountName && cs.accountName.toLowerCase() !== loc.account) {
    throw new InvalidArgumentError(`${source} is for storage account "${cs.accountName}", but the URL ${loc.display} names "${loc.account}"`);
  }
  const endpoint = loc.endpoint ?? settings.endpoint?.replace(/\/+$/, '') ?? cs.blobEndpoint ?? `${cs.protocol}://${loc.account}.blob.${cs.endpointSuffix}`;
  if (cs.accountKey) return { credential: sharedKey(loc.account, cs.accountKey, source), endpoint, source };
  return { credential: new AnonymousCredential(), endpoint, sas: cs.sas!, source };
}
