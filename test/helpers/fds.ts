import { readdirSync, readlinkSync } from 'node:fs';

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
