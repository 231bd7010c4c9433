import { describe, expect, it } from 'vitest';
import { expectedRangeLength, parseContentRange } from './content-range.js';
import { redactUrl } from './redact.js';
import { statusError } from './status.js';

describe('Content-Range', () => {
  it('parses satisfied, unsatisfied and unknown-length forms', () => {
    expect(parseContentRange('bytes 0-9/100')).toEqual({ start: 0, end: 9, total: 100 });
    expect(parseContentRange('bytes */100')).toEqual({ total: 100 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9 });
    expect(parseContentRange('items 0-9/100')).toBeUndefined();
    expect(parseContentRange(undefined)).toBeUndefined();
  });
  it('accepts exactly the requested range, clipped at the end', () => {
    expect(expectedRangeLength('bytes 10-19/100', 10, 10, 'k')).toBe(10);
    expect(expectedRangeLength('bytes 95-99/100', 95, 10, 'k')).toBe(5);
  });
  it('rejects a shifted, shortened, lengthened or missing range as corrupt', () => {
    for (const h of ['bytes 11-20/100', 'bytes 10-15/100', 'bytes 10-29/100', undefined, 'garbage']) {
      expect(() => expectedRangeLength(h, 10, 10, 'k'), String(h)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    }
  });
});

describe('redactUrl and statusError', () => {
  it('hides user info and query strings', () => {
    expect(redactUrl(new URL('https://u:p@h.example/a/b?sig=abc&x=1'))).toBe('https://<redacted>@h.example/a/b?<redacted>');
    expect(redactUrl(new URL('http://h/a'))).toBe('http://h/a');
  });
  it('maps statuses to core classes', () => {
    expect(statusError(404, 'x').constructor.name).toBe('NotFoundError');
    expect((statusError(403, 'x') as { code?: string }).code).toBe('ACCESS_DENIED');
    for (const s of [408, 429, 500, 502, 503, 504]) expect((statusError(s, 'x') as { code?: string }).code).toBe('TRANSIENT');
    expect((statusError(400, 'x') as { code?: string }).code).toBe('UNSUPPORTED');
  });
});
