import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, GenolakeError, NotFoundError, TransientError } from './errors.js';

/** What another copy of @genolake/core defines: same names, same brand, different classes. */
function otherCopy() {
  const BRAND = Symbol.for('@genolake/core:error');
  abstract class GenolakeError extends Error {
    abstract readonly code: string;
    constructor(message: string) {
      super(message);
      this.name = new.target.name;
      Object.defineProperty(this, BRAND, { value: true });
    }
  }
  class NotFoundError extends GenolakeError {
    readonly code = 'NOT_FOUND';
  }
  class MissingManifestError extends NotFoundError {}
  return { NotFoundError, MissingManifestError };
}

describe('error classes', () => {
  it('carry a stable code, the class name and the cause', () => {
    const cause = new Error('socket');
    const e = new TransientError('get k failed', { cause });
    expect(e).toBeInstanceOf(GenolakeError);
    expect(e.code).toBe('TRANSIENT');
    expect(e.name).toBe('TransientError');
    expect(e.cause).toBe(cause);
  });

  it('recognise errors from another copy of core by brand and class name', () => {
    const other = otherCopy();
    const e = new other.NotFoundError('object not found: x');
    expect(e instanceof NotFoundError).toBe(true);
    expect(e instanceof GenolakeError).toBe(true);
    expect(e instanceof AlreadyExistsError).toBe(false);
    expect(new other.MissingManifestError('m') instanceof NotFoundError).toBe(true);
    // Unbranded look-alikes are not ours.
    class NotFoundErrorLookalike extends Error {}
    Object.defineProperty(NotFoundErrorLookalike, 'name', { value: 'NotFoundError' });
    expect(new NotFoundErrorLookalike('x') instanceof NotFoundError).toBe(false);
    expect((null as unknown as object) instanceof GenolakeError).toBe(false);
  });
});
