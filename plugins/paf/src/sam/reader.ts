/** Streaming SAM text reader (plain bytes in; gzip is undone by open.ts): header, then records in batches. */
import { InputError } from '@genolake/core';
import { Header } from '../header.js';
import { Record } from '../record.js';
import { SamLineParser } from './parser.js';

const latin1 = new TextDecoder('latin1');

/** Lines as latin1 strings (without '\n' or a trailing '\r'), cut from byte chunks. */
async function* lines(stream: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of stream) {
    const text = carry + latin1.decode(chunk);
    const parts = text.split('\n');
    carry = parts.pop()!;
    yield parts;
  }
  if (carry) yield [carry];
}

export class Reader {
  count = 0;
  private lineNo = 0;

  private constructor(
    readonly header: Header,
    readonly name: string,
    private readonly it: AsyncIterator<string[]>,
    private pending: string[],
  ) {}

  static async fromText(stream: AsyncIterable<Uint8Array>, name: string): Promise<Reader> {
    const it = lines(stream)[Symbol.asyncIterator]();
    const head: string[] = [];
    let rest: string[] = [];
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      const k = r.value.findIndex((l) => !l.startsWith('@'));
      if (k < 0) {
        head.push(...r.value);
        continue;
      }
      head.push(...r.value.slice(0, k));
      rest = r.value.slice(k);
      break;
    }
    const reader = new Reader(Header.fromSamLines(head.map(stripCr), name), name, it, rest);
    reader.lineNo = head.length;
    return reader;
  }

  async *batches(): AsyncGenerator<Record[]> {
    const parser = new SamLineParser(this.header);
    let chunk: string[] | undefined = this.pending;
    while (chunk) {
      const batch: Record[] = [];
      for (const raw of chunk) {
        this.lineNo++;
        const line = stripCr(raw);
        if (line === '') continue;
        if (line.startsWith('@')) throw new InputError(`${this.name} line ${this.lineNo}: header line after the first record`);
        batch.push(new Record(parser.parse(line, `${this.name} line ${this.lineNo}`)));
        this.count++;
      }
      if (batch.length) yield batch;
      const r = await this.it.next();
      chunk = r.done ? undefined : r.value;
    }
  }
}

function stripCr(l: string): string {
  return l.endsWith('\r') ? l.slice(0, -1) : l;
}
