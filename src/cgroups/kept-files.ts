/**
 * Descriptors of cgroupfs files kept open between reads. A cgroupfs file is a seq_file: a read at
 * offset 0 (pread) runs the kernel's show function again, so it returns fresh values without the
 * open and close, which cost ~85% of a small cgroup read. When the cgroup is removed, reads on a
 * kept descriptor fail with ENODEV; the caller then drops it and opens the path afresh.
 * Never used for procfs: /proc/<pid>/net/dev kept open goes on reading a dead process's netns.
 */
import { closeSync, existsSync, readFileSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/** statfs f_type of cgroup v1 and v2 mounts. */
const CGROUP_SUPER_MAGIC = 0x27e0eb;
const CGROUP2_SUPER_MAGIC = 0x63677270;

/**
 * Each kept descriptor pins a kernfs open file and its seq_file page (~5 KB of kernel memory). A
 * v1 container has ~23 files: 16384 covers ~700 containers, within the RLIMIT_NOFILE/4 bound.
 */
export const DEFAULT_KEPT_FILES = 16384;

/** A full table looks for removed cgroups' descriptors at most this often (one stat per directory). */
export const SWEEP_INTERVAL_MS = 10_000;

/** What a reader that keeps descriptors exposes (KeptFiles here; the worker's table in read-worker.ts). */
export interface KeptTable {
  /** Descriptors it may keep; 0 = none. */
  readonly capacity: number;
  /** Close every kept descriptor under `dir` (a container's cgroup that is gone). */
  closeUnder(dir: string): void;
  /** Close everything (daemon shutdown, tests). */
  closeAll(): void;
  /** Resolves once reads go through kept descriptors (the async reader's worker is up); starts it. */
  ready(): Promise<void>;
}

/**
 * A requested number of kept descriptors, bounded by a quarter of this process's RLIMIT_NOFILE
 * (a daemon has two readers, so half its descriptors at most go to kept cgroup files).
 */
export function keptCapacity(requested: number, limitsFile = '/proc/self/limits'): number {
  if (!(requested > 0)) return 0;
  return Math.max(0, Math.min(Math.floor(requested), Math.floor(openFilesLimit(limitsFile) / 4)));
}

/**
 * The blocking reader's path → descriptor table, shared by every cgroup a reader resolves (GetStats
 * streams of one container reuse each other's descriptors). Live entries are never evicted: a
 * scrape reads every container's files in the same order each time, so evicting the oldest to
 * make room would make every read miss once the files outnumber the table. Full, it first drops
 * the descriptors of removed cgroups (at most once per SWEEP_INTERVAL_MS), else the new file is
 * simply read and closed. Used from one thread, one read at a time.
 */
export class KeptFiles implements KeptTable {
  private readonly table = new Map<string, number>();
  private lastSweep = -Infinity;

  /** `capacity`: already bounded (keptCapacity). */
  constructor(
    readonly capacity = keptCapacity(DEFAULT_KEPT_FILES),
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.table.size;
  }

  get(path: string): number | undefined {
    return this.table.get(path);
  }

  /** Close and forget a descriptor that failed (its cgroup is gone). */
  drop(path: string): void {
    const fd = this.table.get(path);
    if (fd === undefined) return;
    this.table.delete(path);
    closeFd(fd);
  }

  /** Keep a freshly opened descriptor; false when it was not taken (the caller closes it). */
  keep(path: string, fd: number): boolean {
    if (this.capacity === 0 || this.table.has(path)) return false;
    if (this.table.size >= this.capacity && !this.sweep()) return false;
    this.table.set(path, fd);
    return true;
  }

  /** Drops the descriptors whose directory is gone; true if that made room. */
  private sweep(): boolean {
    const t = this.now();
    if (t - this.lastSweep < SWEEP_INTERVAL_MS) return false;
    this.lastSweep = t;
    for (const dir of goneDirs(this.table.keys())) this.closeUnder(dir);
    return this.table.size < this.capacity;
  }

  closeUnder(dir: string): void {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    for (const path of [...this.table.keys()]) if (path.startsWith(prefix)) this.drop(path);
  }

  closeAll(): void {
    for (const path of [...this.table.keys()]) this.drop(path);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }
}

function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // EBADF/EIO on close: the descriptor is released either way
  }
}

/** Soft RLIMIT_NOFILE of this process (node raises it to the hard limit at start); 1024 if unknown. */
function openFilesLimit(limitsFile: string): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(limitsFile, 'latin1'));
    if (m) return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    // not Linux, or no procfs: be conservative
  }
  return 1024;
}

/**
 * The directories (of `dirs`) that are on a cgroup filesystem; any other file is always opened afresh.
 * Blocking statfs: a dozen v1 controllers per new container, each a microsecond syscall, cost far
 * less than as many thread-pool round trips.
 */
export async function cgroupfsDirs(dirs: Iterable<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const d of new Set(dirs)) {
    try {
      const t = statfsSync(d).type;
      if (t === CGROUP_SUPER_MAGIC || t === CGROUP2_SUPER_MAGIC) out.add(d);
    } catch {
      // gone or unreadable: not kept
    }
  }
  return out;
}

/** The directories (of these files') that no longer exist: removed cgroups. One stat per directory. */
export function goneDirs(paths: Iterable<string>): string[] {
  const dirs = new Set<string>();
  for (const p of paths) dirs.add(dirname(p));
  return [...dirs].filter((d) => !existsSync(d));
}
