/**
 * Where an S3 store points and how it talks: bucket and prefix from the URL; endpoint,
 * region, path style, requester-pays and credentials from store options, then the URL's
 * query, then the AWS variables. Credentials default to the SDK's own chain (env, shared
 * files, SSO, IMDS); they are only set here when given explicitly, and never printed.
 *
 *   s3://bucket/prefix                       AWS, or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL
 *   s3+http://127.0.0.1:7480/bucket/prefix   an S3-compatible server (path style)
 *   s3+https://minio.example/bucket/prefix
 *   ...?requester-pays=1&region=eu-west-1&path-style=1
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type StoreOptions } from '@genolake/core';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3StoreConfig {
  bucket: string;
  /** Key prefix inside the bucket, without a trailing '/' ('' for the bucket root). */
  prefix: string;
  /** Custom endpoint (S3-compatible stores); undefined for AWS. */
  endpoint?: string;
  region?: string;
  forcePathStyle: boolean;
  requesterPays: boolean;
  credentials?: S3Credentials;
  /** Idle timeout per request (default 30 s): no byte sent or received for that long. */
  timeoutMs: number;
  /** Multipart part size for streamed bodies (default 16 MiB; S3's minimum is 5 MiB). */
  partSize: number;
  /**
   * Parts uploaded at once (default: os.availableParallelism() clamped to 4..8).
   * Memory per upload ≈ (partConcurrency + 1) × partSize.
   */
  partConcurrency: number;
  /**
   * SHA-256 of each PUT body in the signature (`x-amz-content-sha256`). Off: bodies are sent
   * as UNSIGNED-PAYLOAD, which saves hashing every byte on both sides (1 GiB through
   * radosgw: 1.66x faster). Default: on only for a plain-HTTP endpoint on a non-loopback
   * host, where nothing else protects the body; over HTTPS TLS does (and on AWS the SDK's
   * CRC32 checksum, checked by S3, stays on); on loopback nothing can alter it.
   */
  signPayload: boolean;
  /** SDK attempts per multipart request (default 4): parts are retried by the SDK, see store.ts. */
  partAttempts: number;
  /** Sockets per store (default 32). */
  maxSockets: number;
  readOnly: boolean;
  /**
   * Send If-Match values without their quotes. radosgw 16.2 compares If-Match with the bare
   * hex digest, so a standard quoted ETag always fails with 412 (measured). Default: on for
   * custom endpoints, off for AWS, which takes the quoted form.
   */
  bareIfMatch: boolean;
}

type Env = Record<string, string | undefined>;

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function flag(v: unknown, name: string): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v).toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new InvalidArgumentError(`${name} must be 1/0, true/false, yes/no or on/off, not ${JSON.stringify(v)}`);
}

function num(v: unknown, name: string, min: number): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, not ${JSON.stringify(v)}`);
  return n;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `options.env` (a CLI session's environment) or the process environment. */
export function envOf(options: StoreOptions): Env {
  return options.env && typeof options.env === 'object' ? (options.env as Env) : process.env;
}

export function resolveS3Config(url: URL, options: StoreOptions = {}): S3StoreConfig {
  const env = envOf(options);
  const q = url.searchParams;
  const scheme = url.protocol.replace(/:$/, '');
  let bucket: string;
  let path: string;
  let endpoint: string | undefined;
  if (scheme === 's3') {
    bucket = decodeURIComponent(url.hostname);
    path = url.pathname;
    endpoint = str(options.endpoint) ?? str(env.AWS_ENDPOINT_URL_S3) ?? str(env.AWS_ENDPOINT_URL);
  } else if (scheme === 's3+http' || scheme === 's3+https') {
    // The emulator form: the endpoint is in the URL, the bucket is the first path segment.
    endpoint = `${scheme.slice(3)}://${url.host}`;
    const [, b = '', ...rest] = url.pathname.split('/');
    bucket = decodeURIComponent(b);
    path = rest.join('/');
  } else {
    throw new InvalidArgumentError(`not an S3 URL: ${scheme}://`);
  }
  if (!/^[a-z0-9][a-z0-9.\-_]{1,254}$/i.test(bucket)) {
    throw new InvalidArgumentError(`S3 URL needs a bucket name: ${scheme}://${scheme === 's3' ? '' : url.host + '/'}<bucket>/<prefix>`);
  }
  const prefix = decodeURIComponent(path).replace(/^\/+|\/+$/g, '');
  const pathStyle =
    flag(options.forcePathStyle, 'forcePathStyle') ??
    flag(q.get('path-style'), 'path-style') ??
    flag(env.GENOLAKE_S3_FORCE_PATH_STYLE, 'GENOLAKE_S3_FORCE_PATH_STYLE') ??
    // Custom endpoints are usually one host serving every bucket (radosgw, MinIO, emulators).
    endpoint !== undefined;
  const region =
    str(options.region) ?? str(q.get('region')) ?? str(env.AWS_REGION) ?? str(env.AWS_DEFAULT_REGION) ?? (endpoint ? 'us-east-1' : undefined);
  const config: S3StoreConfig = {
    bucket,
    prefix,
    forcePathStyle: pathStyle,
    requesterPays:
      flag(options.requesterPays, 'requesterPays') ??
      flag(q.get('requester-pays'), 'requester-pays') ??
      flag(env.GENOLAKE_S3_REQUESTER_PAYS, 'GENOLAKE_S3_REQUESTER_PAYS') ??
      false,
    timeoutMs: num(options.timeoutMs, 'timeoutMs', 1) ?? num(env.GENOLAKE_S3_TIMEOUT_MS, 'GENOLAKE_S3_TIMEOUT_MS', 1) ?? 30_000,
    partSize: num(options.partSize, 'partSize', 5 * 1024 * 1024) ?? 16 * 1024 * 1024,
    partConcurrency: num(options.partConcurrency, 'partConcurrency', 1) ?? Math.min(8, Math.max(4, availableParallelism())),
    partAttempts: num(options.partAttempts, 'partAttempts', 1) ?? 4,
    maxSockets: num(options.maxSockets, 'maxSockets', 1) ?? 32,
    signPayload:
      flag(options.signPayload, 'signPayload') ?? flag(env.GENOLAKE_S3_SIGN_PAYLOAD, 'GENOLAKE_S3_SIGN_PAYLOAD') ?? needsSignedPayload(endpoint),
    readOnly: options.readOnly === true,
    bareIfMatch: flag(options.bareIfMatch, 'bareIfMatch') ?? flag(env.GENOLAKE_S3_BARE_IF_MATCH, 'GENOLAKE_S3_BARE_IF_MATCH') ?? endpoint !== undefined,
  };
  if (endpoint !== undefined) config.endpoint = endpoint;
  if (region !== undefined) config.region = region;
  const credentials = explicitCredentials(options, env);
  if (credentials) config.credentials = credentials;
  return config;
}

/** Plain HTTP to another machine: the body's SHA-256 in the signature is its only protection. */
function needsSignedPayload(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false; // AWS: HTTPS
  const u = new URL(endpoint);
  if (u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}

/**
 * Credentials given to this store rather than found by the SDK: `options.credentials`, or
 * the key variables of a non-process environment (a CLI session's env). With the process
 * environment the SDK's default chain reads the same variables itself.
 */
function explicitCredentials(options: StoreOptions, env: Env): S3Credentials | undefined {
  const c = options.credentials as Partial<S3Credentials> | undefined;
  if (c && typeof c.accessKeyId === 'string' && typeof c.secretAccessKey === 'string') {
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
  }
  if (env !== process.env && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return undefined;
}

/** The store's display URL: bucket, prefix and a custom endpoint's host; never a secret. */
export function displayUrl(c: S3StoreConfig): string {
  const tail = `${c.bucket}${c.prefix ? '/' + c.prefix : ''}`;
  if (!c.endpoint) return `s3://${tail}`;
  const e = new URL(c.endpoint);
  return `s3+${e.protocol.replace(':', '')}://${e.host}/${tail}`;
}
