/**
 * Domain types for container cgroup stats. Version-neutral: v1 and v2 readers fill the same shapes
 * (see /work/shared/METRICS.md for the file → field mapping). Counters are bigint because u64
 * values exceed 2^53. A field the kernel cannot give is absent (undefined), never 0.
 */

/** A limit as the kernel reports it; 'max' = unlimited ("max", v1's page-rounded LONG_MAX, or -1). */
export type Limit = bigint | 'max';

/** How the host mounts cgroups. 'hybrid' = v1 controllers plus a cgroup2 (controller-less) mount. */
export type CgroupMode = 'v1' | 'hybrid' | 'v2';

/** The unit of failure in a stats read: one bad file loses its group, never the others. */
export type StatsGroup = 'cpu' | 'memory' | 'blkio' | 'hugetlb' | 'pids';

export interface GroupError {
  group: StatsGroup;
  /** 'missing': an expected file is absent; 'malformed': text not in the kernel's format; 'unreadable': other I/O error. */
  kind: 'missing' | 'malformed' | 'unreadable';
  /** One line, starting with the file name, e.g. `memory.stat: line 3 "foo" is not "key value"`. */
  message: string;
}

export interface CpuUsage {
  /** ns; v1 cpuacct.usage, v2 cpu.stat usage_usec × 1000. */
  total: bigint;
  /** ns per CPU; v1 cpuacct.usage_percpu. Absent on v2 (the kernel has no per-CPU counter there). */
  perCpu?: bigint[];
  /** ns; v1 cpuacct.stat user ticks × 1e9 / USER_HZ, v2 cpu.stat user_usec × 1000. */
  user: bigint;
  /** ns; v1 cpuacct.stat system ticks × 1e9 / USER_HZ, v2 cpu.stat system_usec × 1000. */
  kernel: bigint;
}

export interface CpuThrottling {
  periods: bigint;
  throttledPeriods: bigint;
  /** ns */
  throttledTime: bigint;
}

export interface CpuSpec {
  /** CFS period in µs (v1 cpu.cfs_period_us, v2 cpu.max second field). */
  periodUs: bigint;
  /** CFS quota in µs per period (v1 cpu.cfs_quota_us, -1 = 'max'; v2 cpu.max first field). */
  quotaUs: Limit;
  /** v1 cpu.shares (v2: absent; see cpuWeightToShares). */
  shares?: bigint;
  /** v2 cpu.weight (v1: absent). */
  weight?: bigint;
}

export interface CpuStats {
  /** From cpuacct on v1 (absent if that controller is not mounted); always present on v2. */
  usage?: CpuUsage;
  /** From the cpu controller; absent when it is not mounted (v1) or not enabled (v2). */
  throttling?: CpuThrottling;
  spec?: CpuSpec;
}

/** The proto's MemoryData: usage / max_usage / failcnt of one counter. */
export interface MemoryData {
  usage: bigint;
  /** v1 *.max_usage_in_bytes; v2 memory.peak (5.19+) for `usage` only. */
  maxUsage?: bigint;
  /** v1 *.failcnt; v2 memory.events `max` for `usage` only. */
  failcnt?: bigint;
}

export interface PageFaults {
  pgfault: bigint;
  pgmajfault: bigint;
}

export interface MemoryStats {
  /** v1 memory.usage_in_bytes / max_usage_in_bytes / failcnt; v2 memory.current / memory.peak / memory.events max. */
  usage: MemoryData;
  /** v1 memory.memsw.* (memory + swap); v2 memory.swap.current + memory.current. Absent without swap accounting. */
  swapUsage?: MemoryData;
  /** v1 memory.kmem.*; v2 memory.stat `kernel` (usage only). Absent when the kernel has neither. */
  kernelUsage?: MemoryData;
  /** The proto's cache: v1 memory.stat `cache`, v2 memory.stat `file`. */
  cache: bigint;
  /** memory.stat as is. */
  stats: Record<string, bigint>;
  /** v1 memory.limit_in_bytes, v2 memory.max. */
  limit: Limit;
  /** usage − inactive file (v1 total_inactive_file, v2 inactive_file), floor 0. */
  workingSet: bigint;
  /** v1 total_rss (else rss), v2 anon. */
  rss: bigint;
  /** v1 total_mapped_file (else mapped_file), v2 file_mapped. */
  mappedFile: bigint;
  /** Swap alone (cAdvisor's container_memory_swap): v1 memory.stat total_swap (else swap), v2 memory.swap.current. */
  swap?: bigint;
  /** v1 memory.oom_control `oom_kill` (4.13+), v2 memory.events `oom_kill`. */
  oomKills?: bigint;
  /** Page faults for container_memory_failures_total{scope}: v1 container = pgfault, hierarchy = total_pgfault; v2 both memory.stat pgfault. */
  failures: { container: PageFaults; hierarchy: PageFaults };
}

export interface BlkioEntry {
  major: number;
  minor: number;
  /** 'Read', 'Write', 'Sync', 'Async', 'Discard', 'Total', or '' for files without an op (time, sectors). */
  op: string;
  value: bigint;
}

/** The proto's eight lists. v2 fills only the first two (Read/Write from io.stat). */
export interface BlkioStats {
  ioServiceBytesRecursive: BlkioEntry[];
  ioServicedRecursive: BlkioEntry[];
  ioQueuedRecursive: BlkioEntry[];
  ioServiceTimeRecursive: BlkioEntry[];
  ioWaitTimeRecursive: BlkioEntry[];
  ioMergedRecursive: BlkioEntry[];
  ioTimeRecursive: BlkioEntry[];
  sectorsRecursive: BlkioEntry[];
}

export interface HugetlbStats {
  /** v1 hugetlb.SIZE.usage_in_bytes, v2 hugetlb.SIZE.current. */
  usage: bigint;
  /** v1 hugetlb.SIZE.max_usage_in_bytes; absent on v2. */
  maxUsage?: bigint;
  /** v1 hugetlb.SIZE.failcnt, v2 hugetlb.SIZE.events `max`. */
  failcnt: bigint;
}

export interface PidsStats {
  current: bigint;
  limit: Limit;
}

/**
 * One read of a container's cgroup. A group is absent when its controller is not available for the
 * cgroup (not an error), or when reading it failed (then `errors` says why). Other groups still come back.
 */
export interface CgroupStats {
  cpu?: CpuStats;
  memory?: MemoryStats;
  blkio?: BlkioStats;
  /** Keyed by page size as the kernel names it ("2MB", "1GB", "64KB"). */
  hugetlb?: Record<string, HugetlbStats>;
  pids?: PidsStats;
  errors: GroupError[];
}

/** A container's cgroup; callers never branch on the version. */
export interface Cgroup {
  readonly version: 1 | 2;
  /** The cgroup path as /proc/<pid>/cgroup shows it (v1: the cpu controller's, else the first one's). */
  readonly path: string;
  /** Directories read, by controller. v2: the one directory under each enabled controller (cpuacct = the core cpu.stat, always there). */
  readonly dirs: Readonly<Partial<Record<Controller, string>>>;
  stats(): Promise<CgroupStats>;
  /**
   * The exporter's read: stats() as numbers, only the fields /metrics exports. It reads the same
   * files and fails a group whenever stats() would (same GroupErrors); with a blocking reader it
   * parses the bytes read, making no strings, bigints or per-file promises.
   */
  sample(): Promise<CgroupSample>;
  /** The OOM-kill counter alone (cheap, for event polling); undefined without the memory controller or on kernels < 4.13 (v1). */
  oomKills(): Promise<bigint | undefined>;
}

/** Controllers this module reads. */
export type Controller = 'cpu' | 'cpuacct' | 'memory' | 'blkio' | 'hugetlb' | 'pids';

/** Filesystem roots; tests point them at fixture trees. */
export interface CgroupRoots {
  /** Where the host's /sys/fs/cgroup is visible. Default '/sys/fs/cgroup'. */
  cgroupRoot: string;
  /** Where the host's /proc is visible. Default '/proc'. */
  procRoot: string;
}

/** One interface of /proc/<pid>/net/dev. */
export interface NetDevStats {
  name: string;
  rxBytes: bigint;
  rxPackets: bigint;
  rxErrors: bigint;
  rxDropped: bigint;
  txBytes: bigint;
  txPackets: bigint;
  txErrors: bigint;
  txDropped: bigint;
}

/** A Limit as a number. */
export type SampleLimit = number | 'max';

export interface CpuSample {
  usage?: { total: number; user: number; kernel: number };
  throttling?: { periods: number; throttledPeriods: number; throttledTime: number };
  /** shares: v1 only. */
  spec?: { periodUs: number; quotaUs: SampleLimit; shares?: number };
}

export interface MemorySample {
  usage: { usage: number; maxUsage?: number; failcnt?: number };
  kernelUsage?: { usage: number };
  cache: number;
  limit: SampleLimit;
  workingSet: number;
  rss: number;
  mappedFile: number;
  swap?: number;
  oomKills?: number;
  failures: { container: { pgfault: number; pgmajfault: number }; hierarchy: { pgfault: number; pgmajfault: number } };
}

export interface BlkioSampleEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

/** The two lists the exporter reads (service bytes and serviced). */
export interface BlkioSample {
  ioServiceBytesRecursive: BlkioSampleEntry[];
  ioServicedRecursive: BlkioSampleEntry[];
}

export interface HugetlbSample {
  usage: number;
  maxUsage?: number;
  failcnt: number;
}

/**
 * What a /metrics scrape exports of one read (Cgroup.sample()): the same groups and errors as
 * CgroupStats, but only the fields the exporter exports, as float64 numbers (exact below 2^53;
 * past it rounded once, as Number(bigint) rounds and as Prometheus stores every value). GetStats
 * keeps stats() and its exact u64 values.
 */
export interface CgroupSample {
  cpu?: CpuSample;
  memory?: MemorySample;
  blkio?: BlkioSample;
  hugetlb?: Record<string, HugetlbSample>;
  pids?: { current: number; limit: SampleLimit };
  errors: GroupError[];
}

/** NetDevStats as numbers. */
export interface NetDevSample {
  name: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}
