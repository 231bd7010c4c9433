/**
 * Inputs and outputs of commands through core's openSource/openSink; '-' means the session's
 * stdin/stdout, so in-process runs (tests, embedding) capture them.
 */
import { openSink, openSource, type ByteSource } from '@genolake/core';
import type { Session } from './command.js';
import { storeOptions } from './dataset-store.js';

export function inputSource(session: Session, target: string): Promise<ByteSource> {
  return openSource(session.host, target, { stdin: session.io.stdin, storeOptions: storeOptions(session, true) });
}

export type OutputSink = Awaited<ReturnType<typeof openSink>>;

export function outputSink(session: Session, target: string | undefined): Promise<OutputSink> {
  return openSink(session.host, target ?? '-', { stdout: session.io.stdout, storeOptions: storeOptions(session) });
}

/**
 * Runs `work` writing into the sink; ends it on success (an object becomes visible only
 * then) and aborts it on failure so no partial output is published.
 */
export async function withOutput<T>(sink: OutputSink, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (e) {
    await sink.abort(e).catch(() => undefined);
    throw e;
  }
  await sink.end();
  return result;
}
