/** CgroupStats → CgroupSample: the exporter's read for readers that have no readBytes (and the reference the byte parsers are tested against). */
import type { BlkioEntry, BlkioSampleEntry, CgroupSample, CgroupStats, HugetlbSample, Limit, NetDevSample, NetDevStats, SampleLimit } from './types';

const n = (v: bigint): number => Number(v);
const nOpt = (v: bigint | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const limit = (v: Limit): SampleLimit => (v === 'max' ? 'max' : Number(v));
const entries = (list: BlkioEntry[]): BlkioSampleEntry[] => list.map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: n(e.value) }));

/** Optional fields are left out, not set to undefined, so that a sample compares equal to a parsed one. */
function put<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

export function sampleOf(s: CgroupStats): CgroupSample {
  const out: CgroupSample = { errors: s.errors };
  if (s.cpu) {
    const cpu: NonNullable<CgroupSample['cpu']> = {};
    const u = s.cpu.usage;
    if (u) cpu.usage = { total: n(u.total), user: n(u.user), kernel: n(u.kernel) };
    const t = s.cpu.throttling;
    if (t) cpu.throttling = { periods: n(t.periods), throttledPeriods: n(t.throttledPeriods), throttledTime: n(t.throttledTime) };
    const sp = s.cpu.spec;
    if (sp) {
      cpu.spec = { periodUs: n(sp.periodUs), quotaUs: limit(sp.quotaUs) };
      put(cpu.spec, 'shares', nOpt(sp.shares));
    }
    out.cpu = cpu;
  }
  const m = s.memory;
  if (m) {
    const usage: NonNullable<CgroupSample['memory']>['usage'] = { usage: n(m.usage.usage) };
    put(usage, 'maxUsage', nOpt(m.usage.maxUsage));
    put(usage, 'failcnt', nOpt(m.usage.failcnt));
    const f = m.failures;
    out.memory = {
      usage,
      cache: n(m.cache),
      limit: limit(m.limit),
      workingSet: n(m.workingSet),
      rss: n(m.rss),
      mappedFile: n(m.mappedFile),
      failures: {
        container: { pgfault: n(f.container.pgfault), pgmajfault: n(f.container.pgmajfault) },
        hierarchy: { pgfault: n(f.hierarchy.pgfault), pgmajfault: n(f.hierarchy.pgmajfault) },
      },
    };
    if (m.kernelUsage) out.memory.kernelUsage = { usage: n(m.kernelUsage.usage) };
    put(out.memory, 'swap', nOpt(m.swap));
    put(out.memory, 'oomKills', nOpt(m.oomKills));
  }
  if (s.blkio) out.blkio = { ioServiceBytesRecursive: entries(s.blkio.ioServiceBytesRecursive), ioServicedRecursive: entries(s.blkio.ioServicedRecursive) };
  if (s.hugetlb) {
    const h: Record<string, HugetlbSample> = {};
    for (const [size, v] of Object.entries(s.hugetlb)) {
      h[size] = { usage: n(v.usage), failcnt: n(v.failcnt) };
      put(h[size]!, 'maxUsage', nOpt(v.maxUsage));
    }
    out.hugetlb = h;
  }
  if (s.pids) out.pids = { current: n(s.pids.current), limit: limit(s.pids.limit) };
  return out;
}

export function netDevSampleOf(list: NetDevStats[]): NetDevSample[] {
  return list.map((d) => ({
    name: d.name,
    rxBytes: n(d.rxBytes),
    rxPackets: n(d.rxPackets),
    rxErrors: n(d.rxErrors),
    rxDropped: n(d.rxDropped),
    txBytes: n(d.txBytes),
    txPackets: n(d.txPackets),
    txErrors: n(d.txErrors),
    txDropped: n(d.txDropped),
  }));
}
