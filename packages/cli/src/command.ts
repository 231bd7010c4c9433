/** The shape of a built-in subcommand and the session every command runs in. */
import type { CommandIO, DefaultHost, PluginManifest } from '@genolake/core';

export interface Session {
  host: DefaultHost;
  manifests: PluginManifest[];
  io: CommandIO;
  env: Record<string, string | undefined>;
  cwd: string;
  signal?: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Full help text for `genolake <name> --help`. */
  help: string;
  run(argv: string[], session: Session): Promise<number>;
}
