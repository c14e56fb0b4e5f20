import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Mounts a tmpfs of `size` (e.g. '1m') on `dir` (root only): a filesystem a test may fill. */
export function mountTmpfs(dir: string, size: string, mode = '0700'): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=${mode}`, 'legacyd-test', dir]);
}

export function unmount(dir: string): void {
  execFileSync('umount', ['-l', dir]);
}

/** Fills the filesystem holding `file` with it, to the last byte. */
export function fillWith(file: string): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}
