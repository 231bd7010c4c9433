/**
 * URLs as shown in messages, logs and `store.url`: user info and query strings can carry
 * secrets (passwords, signed-URL signatures, SAS tokens), so both are replaced (or the query
 * dropped, for store roots that get keys appended in messages).
 */
export function redactUrl(u: URL, options: { showQuery?: boolean } = {}): string {
  const c = new URL(u.href);
  const hadAuth = c.username !== '' || c.password !== '';
  c.username = '';
  c.password = '';
  const query = c.search && options.showQuery !== false ? '?<redacted>' : '';
  c.search = '';
  c.hash = '';
  const s = c.href + query;
  return hadAuth ? s.replace('://', '://<redacted>@') : s;
}
