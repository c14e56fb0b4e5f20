/** cgroup v1 (and hybrid hosts, where runc uses the v1 controllers): one directory per controller. */
import { collectStats, workingSet } from './collect-stats';
import { CgroupFileError } from './file-error';
import { emptyBlkio, parseBlkioV1 } from './parse-blkio';
import { hugetlbPageSizes } from './parse-hugetlb';
import { parseKeyed, parseLimit, parsePerCpu, parseSingleU64, requireKey } from './parse-values';
import { readPids } from './pids';
import { sampleOf } from './sample';
import { V1Sampler } from './sample-v1';
import { createFileReader, listDir, readOptional, readRequired, type FileReader } from './read-file';
import type {
  BlkioSample,
  BlkioStats,
  Cgroup,
  CgroupSample,
  CgroupStats,
  Controller,
  CpuStats,
  HugetlbStats,
  MemoryData,
  MemoryStats,
  PidsStats,
} from './types';

/** cpuacct.stat counts USER_HZ ticks, which Linux fixes at 100 on every architecture. */
const NS_PER_TICK = 1_000_000_000n / 100n;

/** CFQ's recursive files (kernels < 5.0, or CFQ built in); checked once per cgroup, then skipped if absent. */
const CFQ_FILES = [
  ['blkio.io_service_bytes_recursive', 'ioServiceBytesRecursive'],
  ['blkio.io_serviced_recursive', 'ioServicedRecursive'],
  ['blkio.io_queued_recursive', 'ioQueuedRecursive'],
  ['blkio.io_service_time_recursive', 'ioServiceTimeRecursive'],
  ['blkio.io_wait_time_recursive', 'ioWaitTimeRecursive'],
  ['blkio.io_merged_recursive', 'ioMergedRecursive'],
  ['blkio.time_recursive', 'ioTimeRecursive'],
  ['blkio.sectors_recursive', 'sectorsRecursive'],
] as const satisfies ReadonlyArray<readonly [string, keyof BlkioStats]>;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(s: Settled<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
}

export interface CgroupV1Options {
  /** The cgroup path as /proc/<pid>/cgroup shows it. */
  path: string;
  /** Directory per controller; a controller left out is "not available" and its fields are absent. */
  dirs: Partial<Record<Controller, string>>;
  files?: FileReader;
  /** Directories on a cgroup filesystem, whose files are read through kept descriptors (files.readKept). */
  keepOpen?: Iterable<string>;
}

export class CgroupV1 implements Cgroup {
  readonly version = 1 as const;
  readonly path: string;
  readonly dirs: Readonly<Partial<Record<Controller, string>>>;
  private readonly files: FileReader;
  private readonly keep: ReadonlySet<string>;
  /** Immutable kernel facts, learnt on first use: whether CFQ files exist, which huge page sizes exist. */
  private hasCfq: boolean | undefined;
  private hugeSizes: Promise<string[]> | undefined;
  private readonly sampler: V1Sampler | undefined;

  constructor(opts: CgroupV1Options) {
    this.path = opts.path;
    this.dirs = { ...opts.dirs };
    this.files = opts.files ?? createFileReader();
    this.keep = new Set(opts.keepOpen ?? []);
    const readBytes = this.files.readBytes;
    if (readBytes) this.sampler = new V1Sampler({ readBytes }, this.dirs, this.keep);
  }

  async sample(): Promise<CgroupSample> {
    if (!this.sampler) return sampleOf(await this.stats());
    const [hugeSizes, blkio] = await Promise.all([
      this.dirs.hugetlb === undefined ? undefined : settle(this.pageSizes()),
      // Until CFQ's files are known to be absent (the first read), or while they are there (kernels < 5.0): stats()'s path.
      this.dirs.blkio !== undefined && this.hasCfq !== false ? settle(this.blkio().then((b) => blkioSample(b!))) : undefined,
    ]);
    return this.sampler.sample({ ...(hugeSizes ? { hugeSizes } : {}), ...(blkio ? { blkio } : {}) });
  }

  private required(dir: string, name: string): Promise<string> {
    return readRequired(this.files, dir, name, this.keep.has(dir));
  }

  private optional(dir: string, name: string): Promise<string | undefined> {
    return readOptional(this.files, dir, name, this.keep.has(dir));
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

  async oomKills(): Promise<bigint | undefined> {
    const dir = this.dirs.memory;
    if (dir === undefined) return undefined;
    return parseKeyed(await this.required(dir, 'memory.oom_control'), 'memory.oom_control')['oom_kill'];
  }

  private async cpu(): Promise<CpuStats | undefined> {
    const { cpu, cpuacct } = this.dirs;
    if (cpu === undefined && cpuacct === undefined) return undefined;
    const [usage, acctStat, perCpu, cpuStat, period, quota, shares] = await Promise.all([
      cpuacct === undefined ? undefined : this.required(cpuacct, 'cpuacct.usage'),
      cpuacct === undefined ? undefined : this.required(cpuacct, 'cpuacct.stat'),
      cpuacct === undefined ? undefined : this.required(cpuacct, 'cpuacct.usage_percpu'),
      cpu === undefined ? undefined : this.required(cpu, 'cpu.stat'),
      cpu === undefined ? undefined : this.required(cpu, 'cpu.cfs_period_us'),
      cpu === undefined ? undefined : this.required(cpu, 'cpu.cfs_quota_us'),
      cpu === undefined ? undefined : this.required(cpu, 'cpu.shares'),
    ]);
    const out: CpuStats = {};
    if (usage !== undefined && acctStat !== undefined && perCpu !== undefined) {
      const ticks = parseKeyed(acctStat, 'cpuacct.stat');
      out.usage = {
        total: parseSingleU64(usage, 'cpuacct.usage'),
        perCpu: parsePerCpu(perCpu, 'cpuacct.usage_percpu'),
        user: requireKey(ticks, 'user', 'cpuacct.stat') * NS_PER_TICK,
        kernel: requireKey(ticks, 'system', 'cpuacct.stat') * NS_PER_TICK,
      };
    }
    if (cpuStat !== undefined && period !== undefined && quota !== undefined && shares !== undefined) {
      const s = parseKeyed(cpuStat, 'cpu.stat');
      out.throttling = {
        periods: requireKey(s, 'nr_periods', 'cpu.stat'),
        throttledPeriods: requireKey(s, 'nr_throttled', 'cpu.stat'),
        throttledTime: requireKey(s, 'throttled_time', 'cpu.stat'),
      };
      out.spec = {
        periodUs: parseSingleU64(period, 'cpu.cfs_period_us'),
        quotaUs: parseLimit(quota, 'cpu.cfs_quota_us'),
        shares: parseSingleU64(shares, 'cpu.shares'),
      };
    }
    return out;
  }

  private async memory(): Promise<MemoryStats | undefined> {
    const dir = this.dirs.memory;
    if (dir === undefined) return undefined;
    const [usage, maxUsage, failcnt, limit, statText, oomControl, swap, kernel] = await Promise.all([
      this.required(dir, 'memory.usage_in_bytes'),
      this.required(dir, 'memory.max_usage_in_bytes'),
      this.required(dir, 'memory.failcnt'),
      this.required(dir, 'memory.limit_in_bytes'),
      this.required(dir, 'memory.stat'),
      this.required(dir, 'memory.oom_control'),
      // memsw needs swap accounting; kmem is gone from newer kernels: both are optional.
      this.optionalData(dir, 'memory.memsw.'),
      this.optionalData(dir, 'memory.kmem.'),
    ]);
    const stat = parseKeyed(statText, 'memory.stat');
    const need = (k: string) => requireKey(stat, k, 'memory.stat');
    const usageBytes = parseSingleU64(usage, 'memory.usage_in_bytes');
    const out: MemoryStats = {
      usage: {
        usage: usageBytes,
        maxUsage: parseSingleU64(maxUsage, 'memory.max_usage_in_bytes'),
        failcnt: parseSingleU64(failcnt, 'memory.failcnt'),
      },
      cache: need('cache'),
      stats: stat as Record<string, bigint>,
      limit: parseLimit(limit, 'memory.limit_in_bytes'),
      workingSet: workingSet(usageBytes, stat['total_inactive_file'] ?? need('inactive_file')),
      rss: stat['total_rss'] ?? need('rss'),
      mappedFile: stat['total_mapped_file'] ?? need('mapped_file'),
      failures: {
        container: { pgfault: need('pgfault'), pgmajfault: need('pgmajfault') },
        hierarchy: {
          pgfault: stat['total_pgfault'] ?? need('pgfault'),
          pgmajfault: stat['total_pgmajfault'] ?? need('pgmajfault'),
        },
      },
    };
    if (swap !== undefined) out.swapUsage = swap;
    if (kernel !== undefined) out.kernelUsage = kernel;
    const swapOnly = stat['total_swap'] ?? stat['swap'];
    if (swapOnly !== undefined) out.swap = swapOnly;
    const oom = parseKeyed(oomControl, 'memory.oom_control')['oom_kill'];
    if (oom !== undefined) out.oomKills = oom;
    return out;
  }

  /** PREFIX{usage_in_bytes,max_usage_in_bytes,failcnt}: absent when usage_in_bytes is, else all three required. */
  private async optionalData(dir: string, prefix: string): Promise<MemoryData | undefined> {
    const [usage, max, failcnt] = await Promise.all([
      this.optional(dir, prefix + 'usage_in_bytes'),
      this.optional(dir, prefix + 'max_usage_in_bytes'),
      this.optional(dir, prefix + 'failcnt'),
    ]);
    if (usage === undefined) return undefined;
    const need = (text: string | undefined, name: string): bigint => {
      if (text === undefined) throw new CgroupFileError('missing', name, `not found while ${prefix}usage_in_bytes exists (${dir})`);
      return parseSingleU64(text, name);
    };
    return {
      usage: parseSingleU64(usage, prefix + 'usage_in_bytes'),
      maxUsage: need(max, prefix + 'max_usage_in_bytes'),
      failcnt: need(failcnt, prefix + 'failcnt'),
    };
  }

  private async blkio(): Promise<BlkioStats | undefined> {
    const dir = this.dirs.blkio;
    if (dir === undefined) return undefined;
    // First read: CFQ's files and the throttle fallback together. After that, only what exists.
    const cfq = this.hasCfq === false ? undefined : Promise.all(CFQ_FILES.map(([name]) => this.optional(dir, name)));
    // Settled, so a missing throttle file only matters when the fallback is needed.
    const throttle = this.hasCfq === true ? undefined : settle(this.throttleTexts(dir));
    const [cfqTexts, early] = await Promise.all([cfq, throttle]);
    if (cfqTexts !== undefined) {
      this.hasCfq = cfqTexts.some((t) => t !== undefined);
      const out = emptyBlkio();
      let n = 0;
      CFQ_FILES.forEach(([name, key], i) => {
        const text = cfqTexts[i];
        if (text === undefined) return;
        out[key] = parseBlkioV1(text, name);
        n += out[key].length;
      });
      if (n > 0) return out;
    }
    // No CFQ (kernels >= 5.0) or no device under it: the throttle layer sees every bio.
    const [bytes, ios] = early === undefined ? await this.throttleTexts(dir) : unwrap(early);
    const out = emptyBlkio();
    out.ioServiceBytesRecursive = parseBlkioV1(bytes, 'blkio.throttle.io_service_bytes');
    out.ioServicedRecursive = parseBlkioV1(ios, 'blkio.throttle.io_serviced');
    return out;
  }

  private throttleTexts(dir: string): Promise<[string, string]> {
    return Promise.all([
      this.required(dir, 'blkio.throttle.io_service_bytes'),
      this.required(dir, 'blkio.throttle.io_serviced'),
    ]);
  }

  private async hugetlb(): Promise<Record<string, HugetlbStats> | undefined> {
    const dir = this.dirs.hugetlb;
    if (dir === undefined) return undefined;
    const sizes = await this.pageSizes();
    const rows = await Promise.all(
      sizes.map((size) =>
        Promise.all([
          this.required(dir, `hugetlb.${size}.usage_in_bytes`),
          this.required(dir, `hugetlb.${size}.max_usage_in_bytes`),
          this.required(dir, `hugetlb.${size}.failcnt`),
        ]),
      ),
    );
    const out: Record<string, HugetlbStats> = {};
    sizes.forEach((size, i) => {
      const [usage, max, failcnt] = rows[i]!;
      out[size] = {
        usage: parseSingleU64(usage, `hugetlb.${size}.usage_in_bytes`),
        maxUsage: parseSingleU64(max, `hugetlb.${size}.max_usage_in_bytes`),
        failcnt: parseSingleU64(failcnt, `hugetlb.${size}.failcnt`),
      };
    });
    return out;
  }

  /** Huge page sizes are fixed for the kernel's lifetime: listed once (a failed listing is not kept). */
  private async pageSizes(): Promise<string[]> {
    this.hugeSizes ??= listDir(this.files, this.dirs.hugetlb!, 'hugetlb directory').then((names) => hugetlbPageSizes(names, 'usage_in_bytes'));
    try {
      return await this.hugeSizes;
    } catch (e) {
      this.hugeSizes = undefined;
      throw e;
    }
  }

  private async pids(): Promise<PidsStats | undefined> {
    const dir = this.dirs.pids;
    return dir === undefined ? undefined : readPids(this.files, dir, this.keep.has(dir));
  }
}

function blkioSample(b: BlkioStats): BlkioSample {
  return sampleOf({ blkio: b, errors: [] }).blkio!;
}
