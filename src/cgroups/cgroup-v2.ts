/** cgroup v2 (unified): one directory; which interface files exist depends on the enabled controllers. */
import { collectStats, workingSet } from './collect-stats';
import { blkioFromIoStat, parseIoStat } from './parse-blkio';
import { hugetlbPageSizes } from './parse-hugetlb';
import { parseCpuMax, parseKeyed, parseLimit, parseSingleU64, requireKey } from './parse-values';
import { readPids } from './pids';
import { sampleOf } from './sample';
import { V2Sampler } from './sample-v2';
import { createFileReader, listDir, readOptional, readRequired, type FileReader } from './read-file';
import type { BlkioStats, Cgroup, CgroupSample, CgroupStats, Controller, CpuStats, HugetlbStats, MemoryStats, PidsStats } from './types';

export interface CgroupV2Options {
  /** The cgroup path as /proc/<pid>/cgroup shows it ("0::PATH"). */
  path: string;
  dir: string;
  /** cgroup.controllers of this cgroup: the controllers whose files exist here. */
  controllers: Iterable<string>;
  files?: FileReader;
  /** Read the files through kept descriptors (files.readKept): `dir` is on a cgroup2 filesystem. */
  keepOpen?: boolean;
}

/** cgroup.controllers: space-separated names on one line. */
export function parseControllers(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}

export { parseCpuMax };

const READ: readonly Controller[] = ['cpu', 'memory', 'hugetlb', 'pids'];

export class CgroupV2 implements Cgroup {
  readonly version = 2 as const;
  readonly path: string;
  readonly dir: string;
  readonly dirs: Readonly<Partial<Record<Controller, string>>>;
  private readonly controllers: ReadonlySet<string>;
  private readonly files: FileReader;
  private readonly keep: boolean;
  /** Huge page sizes are fixed for the kernel's lifetime: listed once. */
  private hugeSizes: Promise<string[]> | undefined;
  /** The byte parser of sample(), with a blocking reader. */
  private readonly sampler: V2Sampler | undefined;

  constructor(opts: CgroupV2Options) {
    this.path = opts.path;
    this.dir = opts.dir;
    this.controllers = new Set(opts.controllers);
    this.files = opts.files ?? createFileReader();
    this.keep = opts.keepOpen ?? false;
    const dirs: Partial<Record<Controller, string>> = {};
    for (const c of READ) if (this.controllers.has(c)) dirs[c] = opts.dir;
    if (this.controllers.has('io')) dirs.blkio = opts.dir;
    dirs.cpuacct = opts.dir; // cpu.stat usage is core, there without the cpu controller
    this.dirs = dirs;
    const readBytes = this.files.readBytes;
    if (readBytes) this.sampler = new V2Sampler({ readBytes }, opts.dir, this.controllers, this.keep);
  }

  stats(): Promise<CgroupStats> {
    return collectStats({
      cpu: () => this.cpu(),
      memory: () => this.memory(),
      blkio: () => this.blkio(),
      hugetlb: () => this.hugetlb(),
      pids: () => this.pids(),
    });
  }

  async sample(): Promise<CgroupSample> {
    if (!this.sampler) return sampleOf(await this.stats());
    const sizes = this.controllers.has('hugetlb') ? await this.pageSizes().then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })) : undefined;
    return this.sampler.sample(sizes);
  }

  private required(name: string): Promise<string> {
    return readRequired(this.files, this.dir, name, this.keep);
  }

  private optional(name: string): Promise<string | undefined> {
    return readOptional(this.files, this.dir, name, this.keep);
  }

  async oomKills(): Promise<bigint | undefined> {
    if (!this.controllers.has('memory')) return undefined;
    return parseKeyed(await this.required('memory.events'), 'memory.events')['oom_kill'];
  }

  private async cpu(): Promise<CpuStats> {
    const withCpu = this.controllers.has('cpu');
    const [statText, max, weight] = await Promise.all([
      this.required('cpu.stat'),
      withCpu ? this.required('cpu.max') : undefined,
      withCpu ? this.required('cpu.weight') : undefined,
    ]);
    const s = parseKeyed(statText, 'cpu.stat');
    const us = (k: string) => requireKey(s, k, 'cpu.stat') * 1000n;
    // No per-CPU counter exists on v2: perCpu stays absent.
    const out: CpuStats = { usage: { total: us('usage_usec'), user: us('user_usec'), kernel: us('system_usec') } };
    if (max !== undefined && weight !== undefined) {
      out.throttling = {
        periods: requireKey(s, 'nr_periods', 'cpu.stat'),
        throttledPeriods: requireKey(s, 'nr_throttled', 'cpu.stat'),
        throttledTime: us('throttled_usec'),
      };
      out.spec = { ...parseCpuMax(max), weight: parseSingleU64(weight, 'cpu.weight') };
    }
    return out;
  }

  private async memory(): Promise<MemoryStats | undefined> {
    if (!this.controllers.has('memory')) return undefined;
    const [current, peak, eventsText, max, statText, swapCurrent] = await Promise.all([
      this.required('memory.current'),
      this.optional('memory.peak'), // 5.19+
      this.required('memory.events'),
      this.required('memory.max'),
      this.required('memory.stat'),
      this.optional('memory.swap.current'), // needs CONFIG_SWAP (and swap accounting)
    ]);
    const stat = parseKeyed(statText, 'memory.stat');
    const need = (k: string) => requireKey(stat, k, 'memory.stat');
    const events = parseKeyed(eventsText, 'memory.events');
    const usage = parseSingleU64(current, 'memory.current');
    const faults = { pgfault: need('pgfault'), pgmajfault: need('pgmajfault') };
    const out: MemoryStats = {
      usage: { usage, failcnt: requireKey(events, 'max', 'memory.events') },
      cache: need('file'),
      stats: stat as Record<string, bigint>,
      limit: parseLimit(max, 'memory.max'),
      workingSet: workingSet(usage, need('inactive_file')),
      rss: need('anon'),
      mappedFile: need('file_mapped'),
      // v2's memory.stat already covers descendants: both scopes are the same numbers.
      failures: { container: faults, hierarchy: { ...faults } },
    };
    if (peak !== undefined) out.usage.maxUsage = parseSingleU64(peak, 'memory.peak');
    if (swapCurrent !== undefined) {
      const swap = parseSingleU64(swapCurrent, 'memory.swap.current');
      out.swap = swap;
      out.swapUsage = { usage: swap + usage }; // the proto keeps v1's meaning: memory + swap
    }
    const kernel = stat['kernel']; // 5.18+; older kernels only split it up (slab, kernel_stack, ...)
    if (kernel !== undefined) out.kernelUsage = { usage: kernel };
    const oom = events['oom_kill'];
    if (oom !== undefined) out.oomKills = oom;
    return out;
  }

  private async blkio(): Promise<BlkioStats | undefined> {
    if (!this.controllers.has('io')) return undefined;
    return blkioFromIoStat(parseIoStat(await this.required('io.stat'), 'io.stat'));
  }

  private async hugetlb(): Promise<Record<string, HugetlbStats> | undefined> {
    if (!this.controllers.has('hugetlb')) return undefined;
    const sizes = await this.pageSizes();
    const rows = await Promise.all(
      sizes.map((size) => Promise.all([this.required(`hugetlb.${size}.current`), this.required(`hugetlb.${size}.events`)])),
    );
    const out: Record<string, HugetlbStats> = {};
    sizes.forEach((size, i) => {
      const [current, events] = rows[i]!;
      out[size] = {
        usage: parseSingleU64(current, `hugetlb.${size}.current`),
        failcnt: requireKey(parseKeyed(events, `hugetlb.${size}.events`), 'max', `hugetlb.${size}.events`),
      };
    });
    return out;
  }

  /** Huge page sizes are fixed for the kernel's lifetime: listed once (a failed listing is not kept). */
  private async pageSizes(): Promise<string[]> {
    this.hugeSizes ??= listDir(this.files, this.dir, 'cgroup directory').then((names) => hugetlbPageSizes(names, 'current'));
    try {
      return await this.hugeSizes;
    } catch (e) {
      this.hugeSizes = undefined;
      throw e;
    }
  }

  private async pids(): Promise<PidsStats | undefined> {
    return this.controllers.has('pids') ? readPids(this.files, this.dir, this.keep) : undefined;
  }
}
