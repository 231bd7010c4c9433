// Runs one genolake bgzf-tabix command (bgzip or tabix) with the process's real stdio, so the
// benchmark measures it like a CLI (stdout pipe, peak RSS of its own process).
// Usage: node bench/cli.mjs bgzip|tabix ARGS...   (needs `npm run build -w @genolake/bgzf-tabix`)
import { createHost } from '@genolake/core';
import bgzfTabix from '../dist/plugin.js';

const [name, ...argv] = process.argv.slice(2);
const host = await createHost();
await host.use(bgzfTabix());
const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, interactive: false };
process.exitCode = await host.getCommand(name).run(argv, { host, io });
