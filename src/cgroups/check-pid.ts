import { invalidArgument } from '../errors';

export function checkPid(pid: number): number {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw invalidArgument(`pid ${String(pid)} is not a positive integer`);
  return pid;
}
