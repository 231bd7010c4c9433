/**
 * Inputs and outputs of commands through core's openSource/openSink; '-' means the session's
 * stdin/stdout, so in-process runs (tests, embedding) capture them.
 */
import { brokenPipeWatch, openSink, openSource, type ByteSource } from '@genolake/core';
import type { Session } from './command.js';
import { storeOptions } from './dataset-store.js';

export function inputSource(session: Session, target: string): Promise<ByteSource> {
  return openSource(session.host, target, { stdin: session.io.stdin, storeOptions: storeOptions(session, true) });
}

export type OutputSink = Awaited<ReturnType<typeof openSink>> & {
  /** The session's signal, also aborted when the reader of stdout goes away (`… | head`): pass it to the work. */
  signal: AbortSignal;
  /** Whether the reader of stdout went away: the work then stopped for nobody, which is no failure. */
  readerGone(): boolean;
};

export async function outputSink(session: Session, target: string | undefined): Promise<OutputSink> {
  const { signal, onBrokenPipe, readerGone } = brokenPipeWatch(session.signal);
  const sink = await openSink(session.host, target ?? '-', { stdout: session.io.stdout, storeOptions: storeOptions(session), onBrokenPipe });
  return Object.assign(sink, { signal, readerGone });
}

/**
 * Runs `work` writing into the sink; ends it on success (an object becomes visible only
 * then) and aborts it on failure so no partial output is published. Undefined when the work
 * stopped because the reader of stdout went away.
 */
export async function withOutput<T>(sink: OutputSink, work: () => Promise<T>): Promise<T | undefined> {
  let result: T;
  try {
    result = await work();
  } catch (e) {
    await sink.abort(e).catch(() => undefined);
    // Stopped because nobody reads stdout any more (samtools and friends exit on SIGPIPE).
    if (sink.readerGone()) return undefined;
    throw e;
  }
  await sink.end();
  return result;
}
