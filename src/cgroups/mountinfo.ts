/** Pure: /proc/self/mountinfo → cgroup mounts and the host's cgroup mode. */
import { posix } from 'node:path';
import { failedPrecondition } from '../errors';
import type { CgroupMode } from './types';

export interface MountEntry {
  /** Field 4: the root of the mount within its filesystem (for cgroups: within the hierarchy). */
  root: string;
  /** Field 5, as the host sees it. */
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(s: string): string {
  return s.includes('\\') ? s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) : s;
}

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const f = line.split(' ');
    // id parent maj:min root mountpoint options [optional...] - fstype source superoptions
    const sep = f.indexOf('-', 6);
    if (f.length < 10 || sep < 0 || f.length < sep + 4) {
      throw failedPrecondition(`mountinfo: line ${JSON.stringify(line.slice(0, 120))} has no "- fstype source options" part`);
    }
    out.push({
      root: unescape(f[3]!),
      mountPoint: unescape(f[4]!),
      fsType: f[sep + 1]!,
      superOptions: f[sep + 3]!.split(','),
    });
  }
  return out;
}

/** v1 controllers the kernel knows; a v1 mount holding none of them (name=systemd) is only a tracker. */
const V1_CONTROLLERS = new Set([
  'cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'net_cls', 'net_prio', 'blkio',
  'perf_event', 'hugetlb', 'pids', 'rdma', 'misc',
]);

function v1Controllers(m: MountEntry): string[] {
  return m.superOptions.filter((o) => V1_CONTROLLERS.has(o));
}

function modeOf(entries: readonly MountEntry[]): CgroupMode {
  const v1 = entries.some((m) => m.fsType === 'cgroup' && v1Controllers(m).length > 0);
  const v2 = entries.some((m) => m.fsType === 'cgroup2');
  if (v1) return v2 ? 'hybrid' : 'v1';
  if (v2) return 'v2';
  throw failedPrecondition('mountinfo: no cgroup or cgroup2 filesystem is mounted');
}

/**
 * 'v1': only v1 controller mounts; 'hybrid': v1 controllers plus a cgroup2 mount (systemd's
 * .../unified, holding no controllers runc uses); 'v2': cgroup2 only (a controller-less
 * name=systemd v1 mount does not count).
 */
export function detectMode(mountinfo: string): CgroupMode {
  return modeOf(parseMountinfo(mountinfo));
}

/** Where the host mounts cgroups; mount points under it are rebased onto the reader's cgroupRoot. */
export const HOST_CGROUP_ROOT = '/sys/fs/cgroup';

export interface CgroupMount {
  /** Root of the mount within the hierarchy (mountinfo field 4). */
  root: string;
  /** The mount point rebased onto cgroupRoot: where to read. */
  dir: string;
}

export interface CgroupMountTable {
  mode: CgroupMode;
  /** v1 controller → its mounts (several when a hierarchy is bind-mounted more than once), mountinfo order. */
  v1: ReadonlyMap<string, readonly CgroupMount[]>;
  v2: readonly CgroupMount[];
}

/**
 * A host mount point under /sys/fs/cgroup, moved under cgroupRoot so fixture trees work. Mount
 * points elsewhere (rare: /cgroup/... on old distros) are kept as they are.
 */
export function rebaseMountPoint(mountPoint: string, cgroupRoot: string): string {
  if (mountPoint === HOST_CGROUP_ROOT) return cgroupRoot;
  if (mountPoint.startsWith(HOST_CGROUP_ROOT + '/')) return posix.join(cgroupRoot, mountPoint.slice(HOST_CGROUP_ROOT.length));
  return mountPoint;
}

export function buildMountTable(mountinfo: string, cgroupRoot: string): CgroupMountTable {
  const entries = parseMountinfo(mountinfo);
  const mode = modeOf(entries);
  const v1 = new Map<string, CgroupMount[]>();
  const v2: CgroupMount[] = [];
  for (const m of entries) {
    const mount = { root: m.root, dir: rebaseMountPoint(m.mountPoint, cgroupRoot) };
    if (m.fsType === 'cgroup2') v2.push(mount);
    else if (m.fsType === 'cgroup') {
      for (const c of v1Controllers(m)) {
        const list = v1.get(c);
        if (list) list.push(mount);
        else v1.set(c, [mount]);
      }
    }
  }
  return { mode, v1, v2 };
}
