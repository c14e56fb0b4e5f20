import * as fs from 'node:fs';
import * as path from 'node:path';
import { procStatFields } from '../../src/supervisor/monitor';

/** The /proc/<pid>/stat fields after comm of a live process (indexes as procStatFields says); throws when it is gone. */
export function statOf(pid: number): string[] {
  const f = procStatFields('/proc', pid);
  if (f === undefined) throw new Error(`process ${pid} is gone`);
  return f;
}

/** Every live process: pid, state (R, S, Z...) and parent pid. */
export function processes(): { pid: number; state: string; ppid: number }[] {
  return fs.readdirSync('/proc').flatMap((n) => {
    if (!/^\d+$/.test(n)) return [];
    const f = procStatFields('/proc', Number(n));
    return f ? [{ pid: Number(n), state: f[0]!, ppid: Number(f[1]) }] : [];
  });
}

/** The live monitors of a daemon's processes (`legacyd-monitor <process dir>` in ps), counted by container id. */
export function monitorsUnder(stateDir: string): Map<string, number> {
  const prefix = `legacyd-monitor ${path.join(stateDir, 'containers')}/`;
  const byId = new Map<string, number>();
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue; // gone meanwhile
    }
    if (!cmdline.startsWith(prefix)) continue;
    const id = cmdline.slice(prefix.length).split('/')[0]!;
    byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  return byId;
}
