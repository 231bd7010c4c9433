/**
 * Where an Azure store lives, parsed from its URL. Three forms:
 *
 *   az://<account>/<container>/<prefix>              endpoint from the credentials chain
 *   azure+https://<account>.blob.core.windows.net/<container>/<prefix>
 *   azure+http://127.0.0.1:10000/<account>/<container>/<prefix>   (emulators, path-style)
 *
 * Plain `https://<account>.blob.core.windows.net/…` is deliberately not claimed: core picks
 * one handler per scheme, and `https` belongs to the read-only HTTP store. Prefixing the
 * scheme with `azure+` says "talk Blob API to this endpoint" without stealing `https`.
 */
import { InvalidArgumentError, validateKey } from '@genolake/core';

export interface AzureLocation {
  account: string;
  container: string;
  /** Key prefix inside the container ('' or a valid key without a trailing '/'). */
  prefix: string;
  /** Service endpoint named by the URL itself (`azure+http(s)` forms), without query. */
  endpoint?: string;
  /** A SAS token carried in the URL's query (`azure+https://…?sv=…&sig=…`). Secret. */
  sas?: string;
  /** The URL for messages: never a query, never credentials. */
  display: string;
}

const ACCOUNT_RE = /^[a-z0-9]{3,24}$/;
// Azure container names: 3-63 lowercase letters, digits, single hyphens; `$root` is special.
const CONTAINER_RE = /^(?:\$root|[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])$/;
const HOSTED_RE = /^([a-z0-9]{3,24})\.blob\.(.+)$/;

export function parseAzureUrl(url: URL): AzureLocation {
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  // Userinfo would be a credential in the URL: refuse it without echoing it.
  if (url.username || url.password) {
    throw new InvalidArgumentError(`Azure store URLs must not carry credentials before the host (${scheme}://…@${url.host}); use AZURE_STORAGE_* variables`);
  }
  const segments = decodeURIComponent(url.pathname).split('/').filter((s) => s !== '');
  let account: string;
  let endpoint: string | undefined;
  let shown: string; // scheme, host and (path-style) account, for messages
  if (scheme === 'az') {
    account = url.hostname.toLowerCase();
    shown = `az://${account}`;
  } else if (scheme === 'azure+https' || scheme === 'azure+http') {
    const proto = scheme.slice('azure+'.length);
    const hosted = HOSTED_RE.exec(url.hostname.toLowerCase());
    if (hosted) {
      account = hosted[1]!;
      endpoint = `${proto}://${url.host}`;
      shown = `${scheme}://${url.host}`;
    } else {
      // Emulators and private endpoints address the account in the first path segment.
      account = segments.shift() ?? '';
      endpoint = `${proto}://${url.host}/${account}`;
      shown = `${scheme}://${url.host}/${account}`;
    }
  } else {
    throw new InvalidArgumentError(`not an Azure store URL scheme: ${scheme}://`);
  }
  if (!ACCOUNT_RE.test(account)) {
    throw new InvalidArgumentError(`bad Azure storage account name "${account}" in ${shown}/… (3-24 lowercase letters and digits)`);
  }
  const container = segments.shift() ?? '';
  if (!CONTAINER_RE.test(container)) {
    throw new InvalidArgumentError(
      container ? `bad Azure container name "${container}" in ${shown}/…` : `Azure store URL ${shown} names no container (expected ${scheme}://…/<container>/<prefix>)`,
    );
  }
  const prefix = segments.join('/');
  if (prefix) validateKey(prefix);
  const sas = url.search.length > 1 ? url.search.slice(1) : undefined;
  const display = `${shown}/${container}${prefix ? '/' + prefix : ''}`;
  return { account, container, prefix, display, ...(endpoint ? { endpoint } : {}), ...(sas ? { sas } : {}) };
}
