/** Finds a process's cgroup on this host (or a fixture tree) and hands back the right implementation. */
import { notFound } from '../errors';
import { checkPid } from './check-pid';
import { CgroupV1 } from './cgroup-v1';
import { CgroupV2, parseControllers } from './cgroup-v2';
import { cgroupfsDirs, DEFAULT_KEPT_FILES } from './kept-files';
import { buildMountTable, type CgroupMountTable } from './mountinfo';
import { parseNetDevFile, sampleNetDevFile } from './net-dev';
import { resolveCgroup, resolveCgroupPath, type ResolvedCgroup } from './proc-cgroup';
import { createFileReader, createSyncFileReader, errCode, type FileReader } from './read-file';
import type { Cgroup, CgroupMode, CgroupRoots, NetDevSample, NetDevStats } from './types';

export const DEFAULT_ROOTS: Readonly<CgroupRoots> = { cgroupRoot: '/sys/fs/cgroup', procRoot: '/proc' };

export interface CgroupReaderOptions extends Partial<CgroupRoots> {
  /**
   * 'async' (default): libuv thread pool, the event loop stays free. 'sync': blocking reads, about
   * 1.5x less CPU per container, but the loop stalls for the whole read (see createSyncFileReader).
   */
  io?: 'async' | 'sync';
  /** Async only: files open at once across everything this reader reads (default 256). */
  maxOpenFiles?: number;
  /**
   * cgroupfs files kept open between reads, shared by every cgroup this reader resolves (default
   * 16384, at most a quarter of RLIMIT_NOFILE; 0 = open and close at every read). A read through a
   * kept descriptor is one pread instead of open+read+close; see kept-files.ts.
   */
  keepOpenFiles?: number;
}

/**
 * Holds the roots and the parsed mount table (the only thing cached: mounts do not change under a
 * running daemon; call refresh() if they do). Values are never cached: every stats() reads the files.
 */
export class CgroupReader {
  readonly cgroupRoot: string;
  readonly procRoot: string;
  readonly files: FileReader;
  private table: Promise<CgroupMountTable> | undefined;

  constructor(opts: CgroupReaderOptions = {}) {
    this.cgroupRoot = opts.cgroupRoot ?? DEFAULT_ROOTS.cgroupRoot;
    this.procRoot = opts.procRoot ?? DEFAULT_ROOTS.procRoot;
    const keepOpen = opts.keepOpenFiles ?? DEFAULT_KEPT_FILES;
    this.files =
      opts.io === 'sync'
        ? createSyncFileReader({ keepOpen })
        : createFileReader(opts.maxOpenFiles === undefined ? { keepOpen } : { keepOpen, maxOpenFiles: opts.maxOpenFiles });
  }

  /** `<procRoot>/self/mountinfo`, parsed once per reader. */
  mounts(): Promise<CgroupMountTable> {
    if (!this.table) {
      const path = `${this.procRoot}/self/mountinfo`;
      const table = this.files.read(path).then(
        (text) => buildMountTable(text, this.cgroupRoot),
        (e: unknown) => {
          throw notFound(`cannot read ${path}: ${errCode(e) ?? String(e)}`, e);
        },
      );
      // A failure is not cached.
      table.catch(() => {
        if (this.table === table) this.table = undefined;
      });
      this.table = table;
    }
    return this.table;
  }

  /** Forget the mount table (after cgroup filesystems were mounted or moved). */
  refresh(): void {
    this.table = undefined;
  }

  async mode(): Promise<CgroupMode> {
    return (await this.mounts()).mode;
  }

  /**
   * The cgroup of a process (for a container: its init pid). Rejects with a LegacydError:
   * not-found when the process (or its cgroup directory on v2) is gone, failed-precondition when
   * the host's layout cannot be read (path outside every mount, no cgroup mounts).
   * Keep the returned object for the container's lifetime: it caches only kernel facts.
   */
  async forPid(pid: number): Promise<Cgroup> {
    checkPid(pid);
    const file = `${this.procRoot}/${pid}/cgroup`;
    const [table, text] = await Promise.all([
      this.mounts(),
      this.files.read(file).catch((e: unknown) => {
        throw errCode(e) === 'ENOENT' || errCode(e) === 'ESRCH'
          ? notFound(`process ${pid} not found (${file})`, e)
          : notFound(`cannot read ${file}: ${errCode(e) ?? String(e)}`, e);
      }),
    ]);
    return this.open(resolveCgroup(text, table, file), `of process ${pid}`);
  }

  /**
   * The cgroup at an absolute cgroup path (a container's linux.cgroupsPath, where runc's cgroupfs
   * driver puts it), with no process needed: it still answers once the container's init has died
   * and while runc keeps the cgroup (runc run --keep). Rejects like forPid (not-found when the v2
   * directory is gone, failed-precondition for a relative path or one outside every mount).
   */
  async forPath(cgroupPath: string): Promise<Cgroup> {
    return this.open(resolveCgroupPath(cgroupPath, await this.mounts()), `at ${cgroupPath}`);
  }

  private async open(r: ResolvedCgroup, whose: string): Promise<Cgroup> {
    const kept = this.files.kept !== undefined && this.files.kept.capacity > 0;
    if (r.version === 1) {
      const keepOpen = kept ? await cgroupfsDirs(Object.values(r.dirs)) : undefined;
      return new CgroupV1({ path: r.path, dirs: r.dirs, files: this.files, ...(keepOpen ? { keepOpen } : {}) });
    }
    const controllersFile = `${r.dir}/cgroup.controllers`;
    const [controllers, keepOpen] = await Promise.all([
      this.files.read(controllersFile).catch((e: unknown) => {
        throw notFound(`cgroup ${r.path} ${whose} not found (${controllersFile}: ${errCode(e) ?? String(e)})`, e);
      }),
      kept ? cgroupfsDirs([r.dir]) : undefined,
    ]);
    return new CgroupV2({ path: r.path, dir: r.dir, controllers: parseControllers(controllers), files: this.files, keepOpen: keepOpen?.has(r.dir) ?? false });
  }

  /**
   * Close the kept descriptors of a cgroup that is gone (optional: a read of a removed cgroup
   * closes its own, and the table is bounded; this frees them at once).
   */
  release(cgroup: Cgroup): void {
    const kept = this.files.kept;
    if (kept) for (const dir of new Set(Object.values(cgroup.dirs))) if (dir) kept.closeUnder(dir);
  }

  /**
   * Resolves once reads are on their fast path: the async reader's worker thread is up (it starts
   * at the first read of a cgroupfs file otherwise, and boots in ~40 ms while reads use libuv).
   * A daemon can call it at start so its first GetStats does not share the CPU with that boot.
   */
  ready(): Promise<void> {
    return this.files.kept?.ready() ?? Promise.resolve();
  }

  /** Close every kept descriptor (daemon shutdown). Later reads open files again. */
  closeFiles(): void {
    this.files.kept?.closeAll();
  }

  /** Network counters of a process's network namespace, sharing this reader's roots and file limit. */
  readNetDev(pid: number): Promise<NetDevStats[]> {
    return parseNetDevFile(this.files, this.procRoot, pid);
  }

  /** readNetDev as numbers, for the exporter (see sampleNetDevFile). */
  sampleNetDev(pid: number): Promise<NetDevSample[]> {
    return sampleNetDevFile(this.files, this.procRoot, pid);
  }
}
