import type { Cgroup, CgroupReader, CgroupSample, NetDevSample } from '../cgroups';

/** What the exporter reads from the daemon: the small interface, not the supervisor itself. */
export interface ContainerMeta {
  id: string;
  pid: number;
  image: string;
  annotations: Record<string, string>;
  cgroupsPath: string;
  createdAt: string;
}

export interface MetricsSource {
  info(): ContainerMeta[];
  machine: { cpus: number; memoryBytes: number };
  events: { published: number; overflowed: number; subscriberCount: number };
}

/** One container's stats as read at this scrape: numbers, only what the exporter exports (Cgroup.sample()). */
export interface Snapshot {
  meta: ContainerMeta;
  stats: CgroupSample;
  net: NetDevSample[];
}

/**
 * Reads one container's stats at a time, for a scrape that drops each snapshot before reading the
 * next. Resolved cgroups are kept per (id, pid) because the path cannot change while the process
 * lives; values are never kept.
 */
export class SnapshotReader {
  private readonly cgroups = new Map<string, { pid: number; cg: Promise<Cgroup> }>();

  constructor(private readonly reader: CgroupReader) {}

  /** Starts a scrape of these containers: the cgroups of containers no longer listed are released. */
  begin(containers: readonly ContainerMeta[]): void {
    const live = new Set(containers.map((c) => c.id));
    for (const id of this.cgroups.keys()) if (!live.has(id)) this.forget(id);
    // New containers' cgroups resolve together (a statfs each), not one by one as stats are read.
    for (const meta of containers) this.cgroup(meta);
  }

  /** The container's snapshot; undefined when it went away (its cgroup is then released). */
  async read(meta: ContainerMeta): Promise<Snapshot | undefined> {
    try {
      const cg = await this.cgroup(meta);
      const [stats, net] = await Promise.all([cg.sample(), this.reader.sampleNetDev(meta.pid).catch(() => [])]);
      return { meta, stats, net };
    } catch {
      // The container went away during the scrape: its series simply vanish.
      this.forget(meta.id);
      return undefined;
    }
  }

  /** The container's cgroup, resolved once per (id, pid). */
  private cgroup(meta: ContainerMeta): Promise<Cgroup> {
    let entry = this.cgroups.get(meta.id);
    if (!entry || entry.pid !== meta.pid) {
      if (entry) this.forget(meta.id);
      entry = { pid: meta.pid, cg: this.reader.forPid(meta.pid) };
      // Handled by read() later in the scrape; this keeps a rejection meanwhile from being "unhandled".
      entry.cg.catch(() => undefined);
      this.cgroups.set(meta.id, entry);
    }
    return entry.cg;
  }

  /** Drops a gone container's cgroup and frees the descriptors the reader kept open for it. */
  private forget(id: string): void {
    const entry = this.cgroups.get(id);
    this.cgroups.delete(id);
    void entry?.cg.then((cg) => this.reader.release(cg), () => undefined);
  }
}
