import type { Cgroup, CgroupReader, CgroupStats, NetDevStats } from '../cgroups';

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

/** One container's stats as read at this scrape. */
export interface Snapshot {
  meta: ContainerMeta;
  stats: CgroupStats;
  net: NetDevStats[];
}

/**
 * Reads every live container's stats once per scrape, in parallel. Resolved cgroups are kept per
 * (id, pid) because the path cannot change while the process lives; values are never kept.
 */
export class SnapshotReader {
  private readonly cgroups = new Map<string, { pid: number; cg: Promise<Cgroup> }>();

  constructor(private readonly reader: CgroupReader) {}

  async read(containers: ContainerMeta[]): Promise<{ snapshots: Snapshot[]; failures: number }> {
    const live = new Set(containers.map((c) => c.id));
    for (const id of this.cgroups.keys()) if (!live.has(id)) this.forget(id);
    let failures = 0;
    const results = await Promise.all(
      containers.map(async (meta) => {
        try {
          let entry = this.cgroups.get(meta.id);
          if (!entry || entry.pid !== meta.pid) {
            if (entry) this.forget(meta.id);
            entry = { pid: meta.pid, cg: this.reader.forPid(meta.pid) };
            this.cgroups.set(meta.id, entry);
          }
          const cg = await entry.cg;
          const [stats, net] = await Promise.all([cg.stats(), this.reader.readNetDev(meta.pid).catch(() => [])]);
          return { meta, stats, net };
        } catch {
          // The container went away during the scrape: its series simply vanish.
          this.forget(meta.id);
          failures++;
          return undefined;
        }
      }),
    );
    return { snapshots: results.filter((s): s is Snapshot => s !== undefined), failures };
  }

  /** Drops a gone container's cgroup and frees the descriptors the reader kept open for it. */
  private forget(id: string): void {
    const entry = this.cgroups.get(id);
    this.cgroups.delete(id);
    void entry?.cg.then((cg) => this.reader.release(cg), () => undefined);
  }
}
