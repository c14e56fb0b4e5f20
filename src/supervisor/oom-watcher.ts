import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Cgroup, CgroupReader } from '../cgroups';
import type { Logger } from '../log';
import type { DomainEvent } from './events';
import { readVmOomKills } from './vm-oom-kills';

interface Watched {
  id: string;
  pid: number;
  /** Undefined until needed, for a container watched lazily (see watch). */
  cgroup?: Cgroup;
  open: () => Promise<Cgroup>;
  /** Lazily watched: the machine-wide counter from before the container started. */
  since?: bigint;
  seen: bigint;
  inotify?: fs.FSWatcher;
}

/**
 * Emits `oom` events when a container's OOM-kill counter grows. cgroup v2's memory.events is
 * watched with inotify (the kernel notifies on it); v1's memory.oom_control is not, so there
 * it is polled: every interval one read of the machine-wide counter (/proc/vmstat), and the
 * containers' own counters only when that one moved (every container: one without a limit of
 * its own can still be OOM-killed by its parent's, and the kill is counted in its cgroup).
 * On v1 a new container's cgroup is not even opened while that counter stands still (see watch).
 */
export class OomWatcher {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;
  /** The machine-wide counter at the last tick (undefined: unknown, every tick polls all). */
  private machineKills: bigint | undefined;
  /** One more poll owed after the machine counter moved: the kernel bumps it just before the cgroup's. */
  private pollOwed = false;
  /** The machine-wide counter at its latest read by anything here (null: never read). */
  private latestKills: bigint | undefined | null = null;

  constructor(
    private readonly reader: CgroupReader,
    private readonly publish: (ev: DomainEvent) => void,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
    private readonly procRoot = '/proc',
  ) {}

  /**
   * The machine-wide OOM-kill counter as this watcher last read it (now, if it never did), for a
   * container about to start: pass it to watch() as `since`. Any earlier reading will do, since
   * the counter only grows; a recent one spares opening cgroups after kills that came before it.
   * undefined when the kernel has no such counter.
   */
  killsSoFar(): bigint | undefined {
    return this.latestKills === null ? this.readKills() : this.latestKills;
  }

  private readKills(): bigint | undefined {
    this.latestKills = readVmOomKills(this.procRoot);
    return this.latestKills;
  }

  /**
   * `fresh`: the container was just created, so its cgroup is new and any kill already counted
   * (a process can be OOM-killed before this first read) is reported. A re-adopted container's
   * earlier kills are not reported again.
   * `cgroupsPath`: the container's (its config's linux.cgroupsPath). When absolute, the cgroup is
   * found by it, not through /proc/<pid>/cgroup, so an init OOM-killed before this runs (a
   * process that allocates at once can die within milliseconds of its start) is still seen.
   * `since` (fresh only): killsSoFar() from before the container's processes started. Outside
   * cgroup v2, where the cgroup is polled anyway, the cgroup is then left unopened while the
   * machine's counter stands at `since`: a poll that finds it past `since` opens and reads it, and
   * so does final() at the container's exit. A counter that a poll already found past `since`
   * before this watch opens it now, as without `since` (that poll looked at the others only).
   */
  async watch(id: string, pid: number, fresh: boolean, cgroupsPath?: string, since?: bigint): Promise<void> {
    const open = (): Promise<Cgroup> => (cgroupsPath?.startsWith('/') ? this.reader.forPath(cgroupsPath) : this.reader.forPid(pid));
    try {
      if (fresh && since !== undefined && (this.machineKills === undefined || this.machineKills === since) && (await this.reader.mode()) !== 'v2') {
        this.watched.set(id, { id, pid, open, since, seen: 0n });
        this.ensureTimer();
        return;
      }
      const cgroup = await open();
      const seen = fresh ? 0n : ((await cgroup.oomKills()) ?? 0n);
      const w: Watched = { id, pid, cgroup, open, seen };
      const mem = cgroup.dirs.memory;
      if (cgroup.version === 2 && mem) {
        w.inotify = fs.watch(path.join(mem, 'memory.events'), () => void this.check(w));
        w.inotify.on('error', () => undefined);
      }
      this.watched.set(id, w);
      this.ensureTimer();
      if (fresh) await this.check(w);
    } catch (e) {
      this.log.debug('oom watch unavailable', { id, err: e as Error });
    }
  }

  /** One last look (the container's init just exited: its cgroup is still there, runc run --keep), then forget it. */
  async final(id: string): Promise<void> {
    const w = this.watched.get(id);
    if (!w) return;
    // Never opened: the kernel counts a kill on the machine before the process dies, so a counter
    // that stands where it stood before the container started says no kill was this container's.
    if (w.cgroup || w.since === undefined || this.readKills() !== w.since) await this.check(w);
    this.unwatch(id);
    // The container is gone: the reader may let go of the cgroup files it kept open for it.
    if (w.cgroup) this.reader.release(w.cgroup);
  }

  unwatch(id: string): void {
    const w = this.watched.get(id);
    w?.inotify?.close();
    this.watched.delete(id);
    if (this.watched.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  stop(): void {
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private tick(): void {
    let polled = false;
    for (const w of this.watched.values()) if (!w.inotify) polled = true;
    if (!polled) return;
    const kills = this.readKills();
    const moved = kills === undefined || kills !== this.machineKills;
    this.machineKills = kills;
    if (!moved && !this.pollOwed) return;
    this.pollOwed = moved;
    for (const w of this.watched.values()) {
      if (w.inotify) continue;
      // Never opened, and no kill on the machine since it started: none can be its.
      if (!w.cgroup && w.since !== undefined && kills === w.since) continue;
      void this.check(w);
    }
  }

  private async check(w: Watched): Promise<void> {
    let n: bigint | undefined;
    try {
      w.cgroup ??= await w.open();
      n = await w.cgroup.oomKills();
    } catch {
      return; // the cgroup is being removed
    }
    if (n === undefined || n <= w.seen) return;
    w.seen = n;
    this.publish({ type: 'oom', id: w.id, pid: w.pid });
  }
}
