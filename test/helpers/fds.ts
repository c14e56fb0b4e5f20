import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The paths a process holds open (its /proc/<pid>/fd links), so a test can see what is kept open. */
export function openPaths(pid: number | 'self' = 'self'): string[] {
  const dir = `/proc/${pid}/fd`;
  return readdirSync(dir).flatMap((fd) => {
    try {
      return [readlinkSync(`${dir}/${fd}`)];
    } catch {
      return []; // closed while listing
    }
  });
}

/** The inode of what each of a process's inotify watches is on, one entry per watch (its /proc/<pid>/fdinfo). */
export function inotifyWatches(pid: number | 'self' = 'self'): number[] {
  const dir = `/proc/${pid}/fdinfo`;
  return readdirSync(dir).flatMap((fd) => {
    try {
      return [...readFileSync(`${dir}/${fd}`, 'utf8').matchAll(/^inotify wd:\S+ ino:([0-9a-f]+)/gm)].map((m) => parseInt(m[1]!, 16));
    } catch {
      return []; // closed while listing
    }
  });
}
