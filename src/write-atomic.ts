import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { writeFailure } from './errors';

/** Distinguishes this process's temp files (the pid, other processes'). */
let tmpSeq = 0;

/**
 * Writes `file` whole or not at all (tmp, rename); a failure throws a LegacydError
 * (resource-exhausted when the filesystem is full, `what` naming the file, default its path) and
 * leaves no temp file. Blocking on purpose: state files are a few hundred bytes in /run (tmpfs)
 * by default, and four syscalls here cost less than the four thread-pool round trips of
 * fs.promises (a create writes several; that overhead was a visible share of the daemon's CPU per
 * create). No fsync: tmp + rename already keeps a crash from leaving a torn file.
 */
export function writeAtomicSync(file: string, data: string, opts: { mode?: number; what?: string } = {}): void {
  const tmp = `${file}.${process.pid}.${++tmpSeq}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: opts.mode ?? 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never made, or gone: the write's own error says more */
    }
    throw writeFailure(`writing ${opts.what ?? file}: ${(e as Error).message}`, e);
  }
}
