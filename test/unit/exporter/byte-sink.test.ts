import { describe, expect, it } from 'vitest';
import { ByteSink } from '../../../src/exporter/byte-sink';

describe('ByteSink', () => {
  it('holds what was written as UTF-8, across growth', () => {
    const s = new ByteSink(8);
    const parts = ['a{b="c"} 1\n', 'é☃𝄞\n', 'x'.repeat(5000), '\n'];
    for (const p of parts) s.write(p);
    expect(s.view().toString('utf8')).toBe(parts.join(''));
    expect(s.length).toBe(Buffer.byteLength(parts.join('')));
  });

  it('reset empties it for the next scrape; a buffer far bigger than what scrapes use is given back', () => {
    const s = new ByteSink(16);
    s.write('y'.repeat(4096));
    s.reset();
    expect(s.length).toBe(0);
    s.write('z\n');
    expect(s.view().toString()).toBe('z\n');
    const big = (s as unknown as { buf: Buffer }).buf.length;
    for (let i = 0; i < 10; i++) {
      s.reset();
      s.write('z\n');
    }
    expect((s as unknown as { buf: Buffer }).buf.length).toBeLessThan(big);
    expect(s.view().toString()).toBe('z\n');
  });
});
