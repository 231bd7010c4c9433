/**
 * Byte chunks -> lines as byte ranges, without building strings: yields batches of
 * `{buf, starts, ends}` where line i is `buf[starts[i], ends[i])` (no '\n', no trailing '\r').
 * A line split across chunks is carried into the next batch; memory is one chunk plus the carry.
 */
export interface LineBatch {
  buf: Uint8Array;
  starts: number[];
  ends: number[];
}

export async function* lineBatches(stream: AsyncIterable<Uint8Array>): AsyncGenerator<LineBatch> {
  let carry: Uint8Array | undefined;
  for await (const chunk of stream) {
    let buf = chunk;
    if (carry) {
      buf = new Uint8Array(carry.length + chunk.length);
      buf.set(carry);
      buf.set(chunk, carry.length);
      carry = undefined;
    }
    const starts: number[] = [];
    const ends: number[] = [];
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(10, from);
      if (nl < 0) break;
      starts.push(from);
      ends.push(nl > from && buf[nl - 1] === 13 ? nl - 1 : nl);
      from = nl + 1;
    }
    if (from < buf.length) carry = buf.slice(from);
    if (starts.length) yield { buf, starts, ends };
  }
  if (carry?.length) yield { buf: carry, starts: [0], ends: [carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length] };
}
