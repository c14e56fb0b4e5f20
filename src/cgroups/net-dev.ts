import { internal, notFound } from '../errors';
import { checkPid } from './check-pid';
import { CgroupFileError } from './file-error';
import { parseNetDev } from './parse-net-dev';
import { createFileReader, errCode, type Bytes, type FileReader } from './read-file';
import { netDevSampleOf } from './sample';
import { scanNetDev } from './scan-bytes';
import type { NetDevSample, NetDevStats } from './types';

function netDevReadError(e: unknown, pid: number, path: string): Error {
  const code = errCode(e);
  return code === 'ENOENT' || code === 'ESRCH' || code === 'EINVAL'
    ? notFound(`process ${pid} not found (${path})`, e)
    : internal(`cannot read ${path}: ${code ?? String(e)}`, e);
}

/** Reads and parses <procRoot>/<pid>/net/dev with a given reader. */
export async function parseNetDevFile(files: FileReader, procRoot: string, pid: number): Promise<NetDevStats[]> {
  checkPid(pid);
  const path = `${procRoot}/${pid}/net/dev`;
  let text: string;
  try {
    text = await files.read(path);
  } catch (e) {
    throw netDevReadError(e, pid, path);
  }
  try {
    return parseNetDev(text, path);
  } catch (e) {
    throw e instanceof CgroupFileError ? internal(e.message, e) : e;
  }
}

/**
 * parseNetDevFile as numbers, for the exporter: with a blocking reader, parsed from the bytes
 * read (scan-bytes.ts); the same errors.
 */
export async function sampleNetDevFile(files: FileReader, procRoot: string, pid: number): Promise<NetDevSample[]> {
  if (!files.readBytes) return netDevSampleOf(await parseNetDevFile(files, procRoot, pid));
  checkPid(pid);
  const path = `${procRoot}/${pid}/net/dev`;
  let b: Bytes;
  try {
    b = files.readBytes(path, false); // never kept: see kept-files.ts
  } catch (e) {
    throw netDevReadError(e, pid, path);
  }
  try {
    return scanNetDev(b, path);
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
