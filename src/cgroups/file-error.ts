import type { GroupError, StatsGroup } from './types';

export type FileErrorKind = GroupError['kind'];

/** A problem with one cgroup/proc file; the message starts with the file's name. */
export class CgroupFileError extends Error {
  constructor(
    readonly kind: FileErrorKind,
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'CgroupFileError';
  }
}

export function malformed(file: string, detail: string): CgroupFileError {
  return new CgroupFileError('malformed', file, detail);
}

/** Quote a line for an error message, shortened so a garbage file cannot flood a log. */
export function quote(line: string, max = 80): string {
  return JSON.stringify(line.length > max ? line.slice(0, max) + '…' : line);
}

export function toGroupError(group: StatsGroup, e: unknown): GroupError {
  if (e instanceof CgroupFileError) return { group, kind: e.kind, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { group, kind: 'unreadable', message };
}

/** Runs one group's blocking reads: a failure is recorded in `errors` and costs that group only. */
export function readGroup(errors: GroupError[], group: StatsGroup, read: () => void): void {
  try {
    read();
  } catch (e) {
    errors.push(toGroupError(group, e));
  }
}
