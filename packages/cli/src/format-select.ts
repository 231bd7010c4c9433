/**
 * Choosing the driver for a `convert` input: --format when given; otherwise the file suffixes
 * plugin manifests declare (so only matching plugins are imported), then the drivers' own
 * sniff() on the first bytes. Magic bytes beat a suffix: a BAM named .txt is still BAM.
 */
import { InvalidArgumentError, type ByteSource, type FormatDriver } from '@genolake/core';
import type { Session } from './command.js';

const HEAD_BYTES = 64 * 1024;

/** The first bytes of the source, plus a source that still yields everything (stdin-safe). */
export async function peekHead(source: ByteSource): Promise<{ head: Uint8Array; source: ByteSource }> {
  if (source.read) {
    const size = source.size ? await source.size() : undefined;
    const head = await source.read(0, size === undefined ? HEAD_BYTES : Math.min(HEAD_BYTES, size));
    return { head, source };
  }
  // A stream read once: keep what was read and replay it in front of the rest.
  const it = source.stream()[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let have = 0;
  let finished = false;
  while (have < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) {
      finished = true;
      break;
    }
    parts.push(r.value);
    have += r.value.byteLength;
  }
  const head = concat(parts).subarray(0, HEAD_BYTES);
  const replay: ByteSource = {
    name: source.name,
    ...(source.size ? { size: source.size.bind(source) } : {}),
    async *stream() {
      for (const p of parts) yield p;
      if (finished) return;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    },
  };
  return { head, source: replay };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Longest declared suffix that ends the name (case-insensitive), 0 when none. */
function suffixMatch(name: string, suffixes: readonly string[]): number {
  const lower = name.toLowerCase();
  return Math.max(0, ...suffixes.filter((s) => lower.endsWith(s.toLowerCase())).map((s) => s.length));
}

export async function selectDriver(session: Session, source: ByteSource, head: Uint8Array, explicit?: string): Promise<FormatDriver> {
  const { host, manifests } = session;
  if (explicit) return host.resolveDriver(explicit);
  const formatPlugins = manifests.filter((m) => m.formats.length > 0);
  const bySuffix = formatPlugins.filter((m) => suffixMatch(source.name, m.suffixes) > 0);
  // Load the suffix candidates; with none, every format plugin gets a chance to sniff.
  const toLoad = bySuffix.length ? bySuffix : formatPlugins;
  const loadErrors: unknown[] = [];
  for (const m of toLoad) {
    try {
      await host.lazyLoader?.('format', m.formats[0]!);
    } catch (e) {
      loadErrors.push(e);
    }
  }
  const scored = host.listDrivers().map((d) => ({
    driver: d,
    sniff: d.sniff ? d.sniff(head, source.name) : 0,
    suffix: suffixMatch(source.name, d.suffixes),
  }));
  scored.sort((a, b) => b.sniff - a.sniff || b.suffix - a.suffix);
  const best = scored[0];
  if (best && (best.sniff >= 0.5 || best.suffix > 0)) return best.driver;
  // A plugin that claims the suffix but fails to load explains the failure better than we can.
  if (bySuffix.length && loadErrors.length) throw loadErrors[0];
  const known = formatPlugins.flatMap((m) => m.formats);
  throw new InvalidArgumentError(
    `cannot tell the format of ${source.name}: no installed driver recognises it; pass --format (installed: ${known.join(', ') || 'none'})`,
  );
}
