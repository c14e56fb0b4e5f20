import { internal, notFound } from '../errors';
import { checkPid } from './check-pid';
import { CgroupFileError } from './file-error';
import { parseNetDev } from './parse-net-dev';
import { createFileReader, errCode, type FileReader } from './read-file';
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
  return readNetDevWith(procRoot, pid, (path) => files.read(path), parseNetDev);
}

/**
 * parseNetDevFile as numbers, for the exporter: with a blocking reader, parsed from the bytes
 * read (scan-bytes.ts); the same errors.
 */
export async function sampleNetDevFile(files: FileReader, procRoot: string, pid: number): Promise<NetDevSample[]> {
  const readBytes = files.readBytes;
  if (!readBytes) return netDevSampleOf(await parseNetDevFile(files, procRoot, pid));
  // never kept: see kept-files.ts
  return readNetDevWith(procRoot, pid, (path) => readBytes.call(files, path, false), scanNetDev);
}

/** The path check, read and parse both of the above share, with their errors mapped once. */
async function readNetDevWith<D, R>(procRoot: string, pid: number, read: (path: string) => D | Promise<D>, parse: (data: D, path: string) => R): Promise<R> {
  checkPid(pid);
  const path = `${procRoot}/${pid}/net/dev`;
  let data: D;
  try {
    data = await read(path);
  } catch (e) {
    throw netDevReadError(e, pid, path);
  }
  try {
    return parse(data, path);
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
