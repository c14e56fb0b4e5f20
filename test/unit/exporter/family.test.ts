import { describe, expect, it } from 'vitest';
import { Family } from '../../../src/exporter/family';

const text = (f: Family, om: boolean): string => Buffer.concat(f.chunks(om)).toString('utf8');

describe('Family text', () => {
  it('renders HELP, TYPE and the samples in the order added, without a trailing newline', () => {
    const f = new Family('container_memory_rss', 'Size of RSS in bytes.', 'gauge');
    expect(text(f, false)).toBe('# HELP container_memory_rss Size of RSS in bytes.\n# TYPE container_memory_rss gauge');
    f.add('name="a"', 1);
    f.add('', 2.5);
    f.add('name="b"', NaN); // left out
    f.add('name="é☃"', 1e21);
    expect(text(f, false)).toBe('# HELP container_memory_rss Size of RSS in bytes.\n# TYPE container_memory_rss gauge\ncontainer_memory_rss{name="a"} 1\ncontainer_memory_rss 2.5\ncontainer_memory_rss{name="é☃"} 1e+21');
    expect(text(f, true)).toBe(text(f, false));
  });

  it('keeps every sample of a family bigger than what it holds pending, and starts empty at the next scrape', () => {
    const f = new Family('c_total', 'h', 'counter');
    const want: string[] = [];
    for (let i = 0; i < 2000; i++) {
      f.add(`id="${'x'.repeat(i % 50)}",n="${i}"`, i);
      want.push(`c_total{id="${'x'.repeat(i % 50)}",n="${i}"} ${i}`);
    }
    expect(text(f, false).split('\n').slice(2)).toEqual(want);
    f.clear();
    f.add('n="0"', 7);
    expect(text(f, false)).toBe('# HELP c_total h\n# TYPE c_total counter\nc_total{n="0"} 7');
  });

  it('OpenMetrics: a counter family loses _total; a counter registered without it gets _total on its samples', () => {
    const a = new Family('legacyd_events_published_total', 'Events.', 'counter');
    a.add('', 3);
    expect(text(a, true)).toBe('# HELP legacyd_events_published Events.\n# TYPE legacyd_events_published counter\nlegacyd_events_published_total 3');
    const b = new Family('odd_count', 'Odd.', 'counter');
    for (let i = 0; i < 300; i++) b.add(`i="${i}"`, i);
    const om = text(b, true).split('\n');
    expect(om.slice(0, 2)).toEqual(['# HELP odd_count Odd.', '# TYPE odd_count counter']);
    expect(om.slice(2)).toEqual(Array.from({ length: 300 }, (_, i) => `odd_count_total{i="${i}"} ${i}`));
    expect(text(b, false).split('\n')[2]).toBe('odd_count{i="0"} 0');
  });
});
