import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@genolake/core';
import { int, keyValues, parseCommand, parseDuration, requirePositionals } from './args.js';

describe('CLI argument helpers', () => {
  it('turns parseArgs failures into usage errors naming the command', () => {
    expect(() => parseCommand('info', ['--bogus'], {})).toThrow(InvalidArgumentError);
    expect(() => parseCommand('info', ['--bogus'], {})).toThrow(/^info: Unknown option '--bogus'.*see genolake info --help/);
    const p = parseCommand('q', ['a', '--limit', '7', 'b'], { limit: { type: 'string' } });
    expect(p.positionals).toEqual(['a', 'b']);
    expect(int(p, 'limit', 'q')).toBe(7);
    expect(() => int(parseCommand('q', ['--limit=-1'], { limit: { type: 'string' } }), 'limit', 'q')).toThrow(/--limit needs a non-negative integer/);
    expect(() => requirePositionals(p, ['x', 'y', 'z'], 'q')).toThrow('q: missing <z> (see genolake q --help)');
  });

  it('parses key=value options with typed values', () => {
    expect(keyValues(['a=1', 'b=true', 'c=x=y', 'd=1.5', 'e=false', 'f='], 'convert')).toEqual({ a: 1, b: true, c: 'x=y', d: 1.5, e: false, f: '' });
    expect(() => keyValues(['=1'], 'convert')).toThrow(InvalidArgumentError);
    expect(() => keyValues(['novalue'], 'convert')).toThrow(/expects key=value/);
  });

  it('parses durations', () => {
    expect(parseDuration('7d', 'x')).toBe(7 * 86_400_000);
    expect(parseDuration('45s', 'x')).toBe(45_000);
    expect(parseDuration('1.5h', 'x')).toBe(5_400_000);
    expect(parseDuration('2w', 'x')).toBe(1_209_600_000);
    expect(() => parseDuration('7', 'x')).toThrow(InvalidArgumentError);
    expect(() => parseDuration('7y', 'x')).toThrow(/bad duration "7y"/);
  });
});
