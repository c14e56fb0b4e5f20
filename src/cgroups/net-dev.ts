import { internal, notFound } from '../errors';
import { checkPid } from './check-pid';
import { CgroupFileError } from './file-error';
import { parseNetDev } from './parse-net-dev';
import { createFileReader, errCode, type FileReader } from './read-file';
import type { NetDevStats } from './types';

/** Reads and parses <procRoot>/<pid>/net/dev with a given reader. */
export async function parseNetDevFile(files: FileReader, procRoot: string, pid: number): Promise<NetDevStats[]> {
  checkPid(pid);
  const path = `${procRoot}/${pid}/net/dev`;
  let text: string;
  try {
    text = await files.read(path);
  } catch (e) {
    const code = errCode(e);
    throw code === 'ENOENT' || code === 'ESRCH' || code === 'EINVAL'
      ? notFound(`process ${pid} not found (${path})`, e)
      : internal(`cannot read ${path}: ${code ?? String(e)}`, e);
  }
  try {
    return parseNetDev(text, path);
  } catch (e) {
    throw e instanceof CgroupFileError ? internal(e.message, e) : e;
  }
}

/**
 * Counters of every interface in the network namespace of `pid` (for a container: its init pid),
 * lo included. Rejects with LegacydError not-found when the process is gone, internal when the
 * file is not in the kernel's format.
 */
export function readNetDev(procRoot: string, pid: number): Promise<NetDevStats[]> {
  return parseNetDevFile(createFileReader(), procRoot, pid);
}
