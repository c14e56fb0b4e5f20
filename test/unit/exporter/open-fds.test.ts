import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openFds } from '../../../src/exporter/open-fds';

describe('process_open_fds without listing /proc/self/fd', () => {
  it('counts what prom-client\'s listing counts, and follows descriptors opened and closed', () => {
    const listed = (): number => fs.readdirSync('/proc/self/fd').length - 1;
    expect(openFds()).toBe(listed());
    const fds = Array.from({ length: 50 }, () => fs.openSync('/dev/null', 'r'));
    try {
      expect(openFds()).toBe(listed());
    } finally {
      for (const fd of fds) fs.closeSync(fd);
    }
    expect(openFds()).toBe(listed());
  });
});
