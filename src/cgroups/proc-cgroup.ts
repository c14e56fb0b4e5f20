/** Pure: /proc/<pid>/cgroup + the mount table → the directories holding a process's cgroup files. */
import { posix } from 'node:path';
import { failedPrecondition } from '../errors';
import type { CgroupMount, CgroupMountTable } from './mountinfo';
import type { Controller } from './types';

export interface ProcCgroupEntry {
  hierarchyId: number;
  /** v1: the hierarchy's controllers ("cpu,cpuacct" → both; "name=systemd" kept as is); v2: []. */
  controllers: string[];
  path: string;
}

export function parseProcCgroup(text: string, file = 'cgroup'): ProcCgroupEntry[] {
  const out: ProcCgroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    // hierarchy-ID:controller-list:path; the path itself may contain ':'.
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    const id = a > 0 ? line.slice(0, a) : '';
    if (b < 0 || !/^\d+$/.test(id)) throw failedPrecondition(`${file}: line ${JSON.stringify(line)} is not "id:controllers:path"`);
    const list = line.slice(a + 1, b);
    out.push({ hierarchyId: Number(id), controllers: list === '' ? [] : list.split(','), path: line.slice(b + 1) });
  }
  return out;
}

export type ResolvedCgroup =
  | { version: 1; path: string; dirs: Partial<Record<Controller, string>> }
  | { version: 2; path: string; dir: string };

const CONTROLLERS: readonly Controller[] = ['cpu', 'cpuacct', 'memory', 'blkio', 'hugetlb', 'pids'];

/**
 * Joins a cgroup path with a mount. mountinfo's root field is where the mount starts inside the
 * hierarchy, so the path is made relative to it first (a mount of root /a/b at /sys/fs/cgroup/memory
 * holds cgroup /a/b/c in .../memory/c). Returns undefined when the path is outside the mount.
 */
export function joinCgroupPath(mount: CgroupMount, cgroupPath: string): string | undefined {
  let rel: string;
  if (mount.root === '/') rel = cgroupPath;
  else if (cgroupPath === mount.root) rel = '/';
  else if (cgroupPath.startsWith(mount.root + '/')) rel = cgroupPath.slice(mount.root.length);
  else return undefined;
  const dir = posix.join(mount.dir, rel);
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

function checkPath(path: string, what: string): void {
  // A path outside the reader's cgroup namespace shows as "/../.."; never read outside the mount.
  if (!path.startsWith('/') || path.split('/').includes('..')) {
    throw failedPrecondition(`${what} cgroup path ${JSON.stringify(path)} is outside this cgroup namespace`);
  }
}

function pick(mounts: readonly CgroupMount[], path: string, what: string): string {
  for (const m of mounts) {
    const dir = joinCgroupPath(m, path);
    if (dir !== undefined) return dir;
  }
  const roots = mounts.map((m) => m.root).join(', ');
  throw failedPrecondition(`${what}: cgroup path ${JSON.stringify(path)} is not under any mount root (${roots})`);
}

/**
 * v2 hosts: the "0::" entry under the cgroup2 mount. v1 and hybrid hosts: each v1 controller this
 * module reads, under that controller's mount (runc uses v1 controllers on hybrid hosts).
 * Controllers the process is not in are left out; they are "not available", not an error.
 */
export function resolveCgroup(procCgroup: string, table: CgroupMountTable, file = 'cgroup'): ResolvedCgroup {
  const entries = parseProcCgroup(procCgroup, file);
  if (table.mode === 'v2') {
    const e = entries.find((x) => x.hierarchyId === 0 && x.controllers.length === 0);
    if (!e) throw failedPrecondition(`${file}: no "0::" (cgroup v2) line on a v2 host`);
    checkPath(e.path, 'v2');
    if (table.v2.length === 0) throw failedPrecondition('mountinfo: no cgroup2 mount');
    return { version: 2, path: e.path, dir: pick(table.v2, e.path, 'cgroup2') };
  }
  const dirs: Partial<Record<Controller, string>> = {};
  let first: string | undefined;
  let cpuPath: string | undefined;
  for (const e of entries) {
    for (const c of e.controllers) {
      if (!(CONTROLLERS as readonly string[]).includes(c)) continue;
      // Listed but not mounted in our mount namespace: we cannot read it, so it is not available.
      const mounts = table.v1.get(c);
      if (!mounts || mounts.length === 0) continue;
      checkPath(e.path, c);
      dirs[c as Controller] = pick(mounts, e.path, c);
      first ??= e.path;
      if (c === 'cpu') cpuPath = e.path;
    }
  }
  if (first === undefined) throw failedPrecondition(`${file}: the process is in none of the mounted v1 controllers ${CONTROLLERS.join(', ')}`);
  return { version: 1, path: cpuPath ?? first, dirs };
}

/**
 * A cgroup named by its absolute path rather than by a process: where runc's cgroupfs drivers
 * create an absolute linux.cgroupsPath, i.e. that path under the mount point itself (the first
 * mount of the cgroup2 hierarchy on v2 hosts; of each v1 controller this module reads on v1 and
 * hybrid hosts), whatever the mount's root. `path` is the cgroup's path in the hierarchy (the
 * mount root joined with it), as /proc/<pid>/cgroup would show it.
 */
export function resolveCgroupPath(cgroupPath: string, table: CgroupMountTable): ResolvedCgroup {
  if (!cgroupPath.startsWith('/') || cgroupPath.split('/').includes('..')) {
    throw failedPrecondition(`cgroup path ${JSON.stringify(cgroupPath)} is not an absolute path without ".."`);
  }
  const under = (m: CgroupMount) => ({ path: posix.join(m.root, cgroupPath), dir: joinCgroupPath({ root: '/', dir: m.dir }, cgroupPath)! });
  if (table.mode === 'v2') {
    const m = table.v2[0];
    if (!m) throw failedPrecondition('mountinfo: no cgroup2 mount');
    return { version: 2, ...under(m) };
  }
  const dirs: Partial<Record<Controller, string>> = {};
  let found: string | undefined;
  for (const c of CONTROLLERS) {
    const m = table.v1.get(c)?.[0];
    if (!m) continue;
    const at = under(m);
    dirs[c] = at.dir;
    found ??= at.path;
  }
  if (found === undefined) throw failedPrecondition(`mountinfo: none of the v1 controllers ${CONTROLLERS.join(', ')} is mounted`);
  return { version: 1, path: found, dirs };
}
