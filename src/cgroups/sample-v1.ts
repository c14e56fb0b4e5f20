/**
 * CgroupV1.sample() with a blocking reader: the files stats() reads, parsed from their bytes into
 * numbers (scan-bytes.ts), only the fields /metrics exports. A group fails whenever stats() fails
 * it, with the same error: files are read in stats()'s order, so a removed cgroup reports the same
 * first missing file (in a group with two malformed files, the one reported may differ: stats()
 * reads every file before parsing any).
 */
import { CgroupFileError, malformed, readGroup } from './file-error';
import { fileError, type Bytes } from './read-file';
import { checkPerCpu, KeySet, scanBlkioV1, scanKeyed, scanLimit, scanSingleU64 } from './scan-bytes';
import type { BlkioSample, CgroupSample, Controller, CpuSample, HugetlbSample, MemorySample, StatsGroup } from './types';

/** cpuacct.stat counts USER_HZ ticks (100 on every architecture): scaled to ns by the scan. */
const NS_PER_TICK = 1e7;

export interface V1Files {
  readBytes(path: string, keep: boolean): Bytes;
}

/** The asynchronous parts, done by the caller: huge page sizes (listed once) and blkio while CFQ may be there. */
export interface V1Prefetched {
  hugeSizes?: { ok: true; value: string[] } | { ok: false; error: unknown };
  /** Set when blkio was read by stats()'s path (first read, or CFQ present). */
  blkio?: { ok: true; value: BlkioSample } | { ok: false; error: unknown };
}

const ACCT = new KeySet(['user', 'system'], { user: NS_PER_TICK, system: NS_PER_TICK });
const CPU_STAT = new KeySet(['nr_periods', 'nr_throttled', 'throttled_time']);
const MEM_KEYS = ['cache', 'total_inactive_file', 'inactive_file', 'total_rss', 'rss', 'total_mapped_file', 'mapped_file', 'pgfault', 'pgmajfault', 'total_pgfault', 'total_pgmajfault', 'total_swap', 'swap'] as const;
const MEM_STAT = new KeySet(MEM_KEYS);
const OOM = new KeySet(['oom_kill']);

/** Reused result arrays of scanKeyed (a sample is parsed synchronously, one at a time). */
const acct = new Float64Array(ACCT.keys.length);
const cpuStat = new Float64Array(CPU_STAT.keys.length);
const mem = new Float64Array(MEM_KEYS.length);
const oom = new Float64Array(1);

const opt = (v: number): number | undefined => (Number.isNaN(v) ? undefined : v);

export class V1Sampler {
  /** `${dir}/${name}` per file, made once. */
  private readonly paths = new Map<string, Map<string, string>>();

  constructor(
    private readonly files: V1Files,
    private readonly dirs: Readonly<Partial<Record<Controller, string>>>,
    private readonly keep: ReadonlySet<string>,
  ) {}

  sample(pre: V1Prefetched): CgroupSample {
    const out: CgroupSample = { errors: [] };
    const group = (g: StatsGroup, read: () => void): void => readGroup(out.errors, g, read);
    const d = this.dirs;
    if (d.cpu !== undefined || d.cpuacct !== undefined) group('cpu', () => (out.cpu = this.cpu()));
    if (d.memory !== undefined) group('memory', () => (out.memory = this.memory(d.memory!)));
    if (d.blkio !== undefined) group('blkio', () => (out.blkio = pre.blkio ? unwrap(pre.blkio) : this.throttle(d.blkio!)));
    if (d.hugetlb !== undefined) group('hugetlb', () => (out.hugetlb = this.hugetlb(d.hugetlb!, unwrap(pre.hugeSizes!))));
    if (d.pids !== undefined) group('pids', () => (out.pids = { current: scanSingleU64(this.required(d.pids!, 'pids.current'), 'pids.current'), limit: scanLimit(this.required(d.pids!, 'pids.max'), 'pids.max') }));
    return out;
  }

  private path(dir: string, name: string): string {
    let names = this.paths.get(dir);
    if (!names) this.paths.set(dir, (names = new Map()));
    let p = names.get(name);
    if (p === undefined) names.set(name, (p = `${dir}/${name}`));
    return p;
  }

  private required(dir: string, name: string): Bytes {
    const path = this.path(dir, name);
    try {
      return this.files.readBytes(path, this.keep.has(dir));
    } catch (e) {
      throw fileError(e, name, path);
    }
  }

  private optional(dir: string, name: string): Bytes | undefined {
    const path = this.path(dir, name);
    try {
      return this.files.readBytes(path, this.keep.has(dir));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw fileError(e, name, path);
    }
  }

  private cpu(): CpuSample {
    const { cpu, cpuacct } = this.dirs;
    const out: CpuSample = {};
    if (cpuacct !== undefined) {
      const total = scanSingleU64(this.required(cpuacct, 'cpuacct.usage'), 'cpuacct.usage');
      scanKeyed(this.required(cpuacct, 'cpuacct.stat'), 'cpuacct.stat', ACCT, acct);
      checkPerCpu(this.required(cpuacct, 'cpuacct.usage_percpu'), 'cpuacct.usage_percpu');
      out.usage = { total, user: need(acct, ACCT, 0, 'cpuacct.stat'), kernel: need(acct, ACCT, 1, 'cpuacct.stat') };
    }
    if (cpu !== undefined) {
      scanKeyed(this.required(cpu, 'cpu.stat'), 'cpu.stat', CPU_STAT, cpuStat);
      out.throttling = {
        periods: need(cpuStat, CPU_STAT, 0, 'cpu.stat'),
        throttledPeriods: need(cpuStat, CPU_STAT, 1, 'cpu.stat'),
        throttledTime: need(cpuStat, CPU_STAT, 2, 'cpu.stat'),
      };
      out.spec = {
        periodUs: scanSingleU64(this.required(cpu, 'cpu.cfs_period_us'), 'cpu.cfs_period_us'),
        quotaUs: scanLimit(this.required(cpu, 'cpu.cfs_quota_us'), 'cpu.cfs_quota_us'),
        shares: scanSingleU64(this.required(cpu, 'cpu.shares'), 'cpu.shares'),
      };
    }
    return out;
  }

  private memory(dir: string): MemorySample {
    const usage = scanSingleU64(this.required(dir, 'memory.usage_in_bytes'), 'memory.usage_in_bytes');
    const maxUsage = scanSingleU64(this.required(dir, 'memory.max_usage_in_bytes'), 'memory.max_usage_in_bytes');
    const failcnt = scanSingleU64(this.required(dir, 'memory.failcnt'), 'memory.failcnt');
    const limit = scanLimit(this.required(dir, 'memory.limit_in_bytes'), 'memory.limit_in_bytes');
    scanKeyed(this.required(dir, 'memory.stat'), 'memory.stat', MEM_STAT, mem);
    scanKeyed(this.required(dir, 'memory.oom_control'), 'memory.oom_control', OOM, oom);
    const kills = opt(oom[0]!);
    // memsw (not exported) is checked as stats() checks it; kmem gives the kernel usage.
    this.optionalData(dir, 'memory.memsw.');
    const kernel = this.optionalData(dir, 'memory.kmem.');
    const k = (key: (typeof MEM_KEYS)[number]): number | undefined => opt(mem[MEM_KEYS.indexOf(key)]!);
    const needKey = (key: (typeof MEM_KEYS)[number]): number => need(mem, MEM_STAT, MEM_KEYS.indexOf(key), 'memory.stat');
    const cache = needKey('cache');
    const inactive = k('total_inactive_file') ?? needKey('inactive_file');
    const out: MemorySample = {
      usage: { usage, maxUsage, failcnt },
      cache,
      limit,
      workingSet: usage > inactive ? usage - inactive : 0,
      rss: k('total_rss') ?? needKey('rss'),
      mappedFile: k('total_mapped_file') ?? needKey('mapped_file'),
      failures: {
        container: { pgfault: needKey('pgfault'), pgmajfault: needKey('pgmajfault') },
        hierarchy: { pgfault: k('total_pgfault') ?? needKey('pgfault'), pgmajfault: k('total_pgmajfault') ?? needKey('pgmajfault') },
      },
    };
    if (kernel !== undefined) out.kernelUsage = { usage: kernel };
    const swap = k('total_swap') ?? k('swap');
    if (swap !== undefined) out.swap = swap;
    if (kills !== undefined) out.oomKills = kills;
    return out;
  }

  /** PREFIX{usage_in_bytes,max_usage_in_bytes,failcnt}: absent when usage_in_bytes is, else all three checked; the usage. */
  private optionalData(dir: string, prefix: string): number | undefined {
    const usageBytes = this.optional(dir, prefix + 'usage_in_bytes');
    if (usageBytes === undefined) {
      // stats() reads the other two as well: an error other than "missing" on them still fails the group.
      this.optional(dir, prefix + 'max_usage_in_bytes');
      this.optional(dir, prefix + 'failcnt');
      return undefined;
    }
    const usage = scanSingleU64(usageBytes, prefix + 'usage_in_bytes');
    for (const name of [prefix + 'max_usage_in_bytes', prefix + 'failcnt']) {
      const b = this.optional(dir, name);
      if (b === undefined) throw new CgroupFileError('missing', name, `not found while ${prefix}usage_in_bytes exists (${dir})`);
      scanSingleU64(b, name);
    }
    return usage;
  }

  private throttle(dir: string): BlkioSample {
    // Both files must exist before either is parsed, as in stats().
    const bytes = scanBlkioV1(this.required(dir, 'blkio.throttle.io_service_bytes'), 'blkio.throttle.io_service_bytes');
    return { ioServiceBytesRecursive: bytes, ioServicedRecursive: scanBlkioV1(this.required(dir, 'blkio.throttle.io_serviced'), 'blkio.throttle.io_serviced') };
  }

  private hugetlb(dir: string, sizes: string[]): Record<string, HugetlbSample> {
    const out: Record<string, HugetlbSample> = {};
    for (const size of sizes) {
      const usage = scanSingleU64(this.required(dir, `hugetlb.${size}.usage_in_bytes`), `hugetlb.${size}.usage_in_bytes`);
      const maxUsage = scanSingleU64(this.required(dir, `hugetlb.${size}.max_usage_in_bytes`), `hugetlb.${size}.max_usage_in_bytes`);
      out[size] = { usage, maxUsage, failcnt: scanSingleU64(this.required(dir, `hugetlb.${size}.failcnt`), `hugetlb.${size}.failcnt`) };
    }
    return out;
  }
}

/** requireKey on scanned values. */
function need(values: Float64Array, keys: KeySet, i: number, file: string): number {
  const v = values[i]!;
  if (Number.isNaN(v)) throw malformed(file, `no "${keys.keys[i]}" line`);
  return v;
}

function unwrap<T>(s: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!s.ok) throw s.error;
  return s.value;
}
