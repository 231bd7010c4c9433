/**
 * The extender API: what a plugin sees. A plugin's default export is a factory returning a
 * Plugin; the host calls `setup(host)` once and the plugin registers through the Host.
 * The API only grows within a major version (see docs/plugin-guide.md).
 */
import type { Codec } from '../codec/types.js';
import type { ObjectStore, StoreHandler, StoreOptions } from '../store/types.js';
import type { Region } from '../region.js';

/** Major version of the plugin API this core implements. */
export const PLUGIN_API_VERSION = 1;

export interface Plugin {
  /** Unique name, usually the package name. */
  name: string;
  /** Plugin API major version the plugin was built against. */
  apiVersion: number;
  version?: string;
  setup(host: Host): void | Promise<void>;
}

/** Where a command's text output and messages go. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** True when stderr is a terminal (progress bars allowed). */
  interactive: boolean;
}

export interface CommandContext {
  host: Host;
  io: CommandIO;
  signal?: AbortSignal;
  /** The environment the command runs with; pass it to `host.openStore(url, { env })`. Defaults to process.env. */
  env?: Record<string, string | undefined>;
}

/** A CLI subcommand contributed by a plugin (e.g. `bgzip`, `tabix`, `bam-to-paf`). */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Full help text shown by `genolake <name> --help`. */
  help: string;
  /** Runs with the arguments after the command name; returns the exit code. */
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

/** Input to a conversion: a file, an object URL or stdin, read as a stream and sometimes by range. */
export interface ByteSource {
  /** Display name for messages: path, URL (no secrets) or '-' for stdin. */
  readonly name: string;
  /** Size when known (not for stdin). */
  size?(): Promise<number | undefined>;
  /** Streams the whole source from `offset`. */
  stream(options?: { offset?: number; signal?: AbortSignal }): AsyncIterable<Uint8Array>;
  /** Bounded random access; absent for stdin. */
  read?(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** The store and key behind it, when it is an object. */
  readonly object?: { store: ObjectStore; key: string };
}

/**
 * Output of a query or export: stdout, a file, or an object (streamed). The caller that opened a
 * sink ends it (the CLI ends `ctx.output` only after the driver succeeded, so a failed export
 * publishes nothing); drivers write to it and never call `end()`.
 */
export interface ByteSink {
  readonly name: string;
  /**
   * True when `write` is done with a chunk once its promise resolves (it copied the bytes or
   * wrote them out), so the caller may then overwrite the chunk's memory; producers reuse
   * buffers only for such sinks. Absent: the sink may keep chunks (a stream's queue).
   */
  readonly chunksReusable?: boolean;
  write(chunk: Uint8Array | string): Promise<void>;
  end(): Promise<void>;
}

export interface ProgressReporter {
  /** Work units done so far (bytes of input, records). */
  update(done: number, total?: number, label?: string): void;
  done(): void;
}

export interface ConvertContext {
  host: Host;
  input: ByteSource;
  /** Dataset root store (the dataset URL opened as a store). */
  store: ObjectStore;
  /** Driver options parsed from `--option key=value` and driver-specific flags. */
  options: Record<string, unknown>;
  progress?: ProgressReporter;
  log(message: string): void;
  signal?: AbortSignal;
}

export interface ConvertResult {
  version: number;
  records: number;
  chunks: number;
  bytesWritten: number;
}

export interface QueryRequest {
  regions?: Region[];
  where?: string;
  fields?: string[];
  samples?: string[];
  limit?: number;
  /** Dataset version to read (latest when absent). */
  version?: number;
  outputFormat?: string;
  /** Plan only: report objects, ranges, requests and bytes without fetching data. */
  explain?: boolean;
  options?: Record<string, unknown>;
}

export interface QueryContext {
  host: Host;
  store: ObjectStore;
  request: QueryRequest;
  output: ByteSink;
  log(message: string): void;
  signal?: AbortSignal;
}

export interface QueryResult {
  records: number;
  /** Filled when `explain` was requested or metrics were collected. */
  explain?: ExplainReport;
}

export interface ExplainReport {
  objects: number;
  requests: number;
  bytes: number;
  ranges?: { key: string; offset: number; length: number }[];
  notes?: string[];
}

export interface ExportContext {
  host: Host;
  store: ObjectStore;
  /** Output target: a path, URL or '-' . */
  output: ByteSink;
  /** Output format chosen from the output name or --output-format. */
  format: string;
  request: QueryRequest;
  log(message: string): void;
  signal?: AbortSignal;
}

/**
 * A dataset format: converts a legacy format into a dataset, queries it and exports it back.
 */
export interface FormatDriver {
  /** Dataset format name as written in manifests, e.g. 'paf'. */
  name: string;
  description: string;
  /** Input formats accepted by `convert`, e.g. ['bam', 'sam']. */
  inputFormats: string[];
  /** Output formats of query/export, e.g. ['sam', 'bam', 'jsonl']. */
  outputFormats: string[];
  /** Input file suffixes recognised, e.g. ['.bam', '.sam', '.sam.gz']. */
  suffixes: string[];
  /** Confidence 0..1 that the input (first bytes, name) is for this driver. */
  sniff?(head: Uint8Array, name: string): number;
  convert(ctx: ConvertContext): Promise<ConvertResult>;
  query(ctx: QueryContext): Promise<QueryResult>;
  export?(ctx: ExportContext): Promise<QueryResult>;
  /** Extra lines for `genolake info`. */
  describe?(manifest: import('../dataset/types.js').Manifest): Record<string, unknown>;
}

export interface Host {
  readonly apiVersion: number;
  registerStore(handler: StoreHandler): void;
  registerCodec(codec: Codec): void;
  registerDriver(driver: FormatDriver): void;
  registerCommand(command: CommandSpec): void;

  getCodec(id: string): Codec;
  getDriver(name: string): FormatDriver;
  getCommand(name: string): CommandSpec | undefined;
  listStores(): StoreHandler[];
  listCodecs(): Codec[];
  listDrivers(): FormatDriver[];
  listCommands(): CommandSpec[];

  /** Opens a store from a URL or path (`./dir`, `file://`, `mem://name`, `s3://...`). */
  openStore(url: string, options?: StoreOptions): Promise<ObjectStore>;
}
