import type { Cgroup, CgroupReader } from '../../cgroups';

interface Streamed {
  cgroup: Promise<Cgroup>;
  streams: number;
}

/**
 * The cgroups GetStats streams read: one per container init (concurrent streams of a container
 * share it), held while a stream reads it. When its last stream ends, the reader closes the
 * cgroup's kept descriptors, whether the container lives on or not: kept, they would pin the
 * cgroup's kernel state long after the container is gone (until the reader's table filled up).
 */
export class StreamedCgroups {
  /** By container id and init pid: a new init under a reused id is another entry. */
  private readonly streamed = new Map<string, Streamed>();

  constructor(private readonly reader: Pick<CgroupReader, 'forPid' | 'release'>) {}

  /**
   * The cgroup of container `id` whose init is `pid`, for one more stream. After it resolves, pair
   * it with `release`; a failed lookup needs none (and is not shared: the next stream looks again).
   */
  async acquire(id: string, pid: number): Promise<Cgroup> {
    const key = `${id}\0${pid}`;
    let s = this.streamed.get(key);
    if (!s) {
      s = { cgroup: this.reader.forPid(pid), streams: 0 };
      this.streamed.set(key, s);
    }
    s.streams++;
    try {
      return await s.cgroup;
    } catch (e) {
      this.done(key, s);
      throw e;
    }
  }

  /** One stream of (`id`, `pid`) ended; after the last, the reader lets go of the cgroup's files. */
  release(id: string, pid: number): void {
    const key = `${id}\0${pid}`;
    const s = this.streamed.get(key);
    if (s) this.done(key, s);
  }

  private done(key: string, s: Streamed): void {
    if (--s.streams > 0) return;
    this.streamed.delete(key);
    s.cgroup.then((cg) => this.reader.release(cg), () => undefined);
  }

  /** Container inits with a stream now. */
  get size(): number {
    return this.streamed.size;
  }
}
