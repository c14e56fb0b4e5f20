import { describe, expect, it } from 'vitest';
import { parseJsonExact, stringifySpec } from '../../../src/bundle';

describe('parseJsonExact / stringifySpec', () => {
  it('keeps integers beyond 2^53 exact as bigint, everything else as JSON.parse does', () => {
    const text = '{"hard": 18446744073709551615, "n": -9223372036854775808, "small": 1024, "f": 1.5e300, "s": "18446744073709551615 \\" 99999999999999999999"}';
    expect(parseJsonExact(text)).toStrictEqual({
      hard: 18446744073709551615n,
      n: -9223372036854775808n,
      small: 1024,
      f: 1.5e300,
      s: '18446744073709551615 " 99999999999999999999',
    });
  });

  it('writes bigints back as exact JSON numbers', () => {
    const value = { rlimits: [{ type: 'RLIMIT_CORE', hard: 18446744073709551615n, soft: 0 }], s: 'x' };
    const text = stringifySpec(value);
    expect(text).toContain('"hard": 18446744073709551615,');
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseJsonExact(text)).toStrictEqual(value);
  });

  it('16-digit integers at the edge of 2^53 take the exact path; shorter ones are plain Numbers', () => {
    expect(parseJsonExact('{"a": 9007199254740993, "b": 9007199254740991, "c": 999999999999999}')).toStrictEqual({
      a: 9007199254740993n,
      b: 9007199254740991,
      c: 999999999999999,
    });
  });

  it('a value without bigints is written exactly as JSON.stringify would, and one with them is not refused', () => {
    const plain = { a: [1, 'x', { b: null }], c: 1.5 };
    expect(stringifySpec(plain)).toBe(JSON.stringify(plain, null, 2) + '\n');
    expect(stringifySpec({ deep: { list: [1n << 64n] } })).toContain('18446744073709551616');
  });

  it('reports malformed JSON like JSON.parse', () => {
    expect(() => parseJsonExact('{"a": 1,')).toThrow(SyntaxError);
  });
});
