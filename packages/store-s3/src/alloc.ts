/**
 * Owned, uninitialised byte buffers for bodies and parts that are always filled completely
 * before anyone sees them. `new Uint8Array(n)` zeroes its memory first, which costs a full
 * extra pass over every downloaded range and uploaded part; `Buffer.allocUnsafe` does not.
 * Above Node's pool threshold (4 KiB) it never hands out a slice of a shared pool, and the
 * caller gets a plain Uint8Array over its own ArrayBuffer (not a Buffer: `Buffer#slice` is a
 * view, `Uint8Array#slice` a copy, and callers rely on the latter).
 */
const UNPOOLED = 64 * 1024;

export function allocOwned(n: number): Uint8Array {
  if (n < UNPOOLED) return new Uint8Array(n);
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}
