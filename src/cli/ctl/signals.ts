import * as os from 'node:os';

/** "KILL", "SIGKILL", "kill" or "9" → 9. */
export function parseSignal(s: string): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n > 64) throw new Error(`signal ${s} is out of range (0-64)`);
    return n;
  }
  const name = s.toUpperCase().startsWith('SIG') ? s.toUpperCase() : `SIG${s.toUpperCase()}`;
  const n = (os.constants.signals as Record<string, number>)[name];
  if (n === undefined) throw new Error(`unknown signal ${JSON.stringify(s)}`);
  return n;
}

/** "1000" or "1000:1000" → {uid, gid}. */
export function parseUser(s: string): { uid: number; gid: number; additionalGids: number[] } {
  const m = /^(\d+)(?::(\d+))?$/.exec(s);
  if (!m) throw new Error(`--user ${JSON.stringify(s)}: want UID or UID:GID`);
  return { uid: Number(m[1]), gid: Number(m[2] ?? m[1]), additionalGids: [] };
}

/** "K=V" checked. */
export function parseEnv(s: string): string {
  if (!/^[^=]+=/.test(s)) throw new Error(`--env ${JSON.stringify(s)}: want KEY=VALUE`);
  return s;
}

/** "3" → 3, for flags such as --count and --pid; anything else is refused with the flag named. */
export function parseWholeNumber(flag: string, s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`${flag} ${JSON.stringify(s)}: want a whole number`);
  return Number(s);
}
