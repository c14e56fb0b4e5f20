import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The machine-wide OOM-kill counter (`oom_kill` in /proc/vmstat, Linux >= 4.13). The kernel bumps
 * it in the same place as every memory cgroup's own counter (__oom_kill_process), so while it
 * stands still no container can have been OOM-killed: one read replaces one per container.
 * undefined when the file or the line is missing (old kernel): callers then poll every cgroup.
 */
export function readVmOomKills(procRoot: string): bigint | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(procRoot, 'vmstat'), 'latin1');
  } catch {
    return undefined;
  }
  const m = /^oom_kill (\d+)$/m.exec(text);
  return m ? BigInt(m[1]!) : undefined;
}
