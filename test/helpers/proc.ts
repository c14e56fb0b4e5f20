import { procStatFields } from '../../src/supervisor/monitor';

/** The /proc/<pid>/stat fields after comm of a live process (indexes as procStatFields says); throws when it is gone. */
export function statOf(pid: number): string[] {
  const f = procStatFields('/proc', pid);
  if (f === undefined) throw new Error(`process ${pid} is gone`);
  return f;
}
