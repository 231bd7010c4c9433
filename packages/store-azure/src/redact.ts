/**
 * Keeps secrets out of text we show: every error message and cause this package raises
 * passes through `redact`. Known secret values (account keys, SAS tokens) are replaced, and
 * shapes that look like secrets are masked even when we never saw the value (a SAS `sig=`
 * in a URL the service echoes, an `AccountKey=` from a connection string, a bearer token).
 */
const PATTERNS: [RegExp, string][] = [
  [/([?&;\s]sig=)[^&\s;"']+/gi, '$1***'],
  [/(AccountKey=)[^;\s"']+/gi, '$1***'],
  [/(SharedAccessSignature=)[^;\s"']+/gi, '$1***'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***'],
  [/(SharedKey\s+[^:\s]+:)[A-Za-z0-9+/=]+/g, '$1***'],
];

export class Secrets {
  private readonly values = new Set<string>();

  /** Remembers a secret value (ignores short ones that would mask ordinary words). */
  add(value: string | undefined): void {
    if (!value || value.length < 8) return;
    this.values.add(value);
    // Services and SDKs may show a value URL-encoded.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.values.add(encoded);
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('***');
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  }
}
