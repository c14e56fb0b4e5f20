import type { BlkioEntry, CgroupStats, MemoryData, NetDevStats } from '../cgroups';
import type { BlkioStatsEntry } from '../proto/generated/types/BlkioStatsEntry';
import type { CgroupStats as CgroupStatsMsg } from '../proto/generated/types/CgroupStats';
import type { MemoryData as MemoryDataMsg } from '../proto/generated/types/MemoryData';
import type { NetworkStats } from '../proto/generated/types/NetworkStats';
import type { Stats } from '../proto/generated/types/Stats';

/** uint64 on the wire as a decimal string: exact above 2^53. */
const u64 = (v: bigint | undefined): string => (v ?? 0n).toString();

function memoryData(d: MemoryData | undefined): MemoryDataMsg | null {
  return d ? { usage: u64(d.usage), max_usage: u64(d.maxUsage), failcnt: u64(d.failcnt) } : null;
}

function blkio(list: BlkioEntry[]): BlkioStatsEntry[] {
  return list.map((e) => ({ major: String(e.major), minor: String(e.minor), op: e.op, value: u64(e.value) }));
}

/** Domain stats → the v0 API's CgroupStats. Groups the kernel could not give stay unset (null), not zeros. */
export function cgroupStatsMsg(s: CgroupStats): CgroupStatsMsg {
  const msg: CgroupStatsMsg = { cpu_stats: null, memory_stats: null, blkio_stats: null, hugetlb_stats: {} };
  if (s.cpu) {
    const u = s.cpu.usage;
    const t = s.cpu.throttling;
    msg.cpu_stats = {
      cpu_usage: u
        ? { total_usage: u64(u.total), percpu_usage: (u.perCpu ?? []).map(u64), usage_in_kernelmode: u64(u.kernel), usage_in_usermode: u64(u.user) }
        : null,
      throttling_data: t ? { periods: u64(t.periods), throttled_periods: u64(t.throttledPeriods), throttled_time: u64(t.throttledTime) } : null,
    };
  }
  if (s.memory) {
    const m = s.memory;
    msg.memory_stats = {
      cache: u64(m.cache),
      usage: memoryData(m.usage),
      swap_usage: memoryData(m.swapUsage),
      kernel_usage: memoryData(m.kernelUsage),
      stats: Object.fromEntries(Object.entries(m.stats).map(([k, v]) => [k, u64(v)])),
    };
  }
  if (s.blkio) {
    const b = s.blkio;
    msg.blkio_stats = {
      io_service_bytes_recursive: blkio(b.ioServiceBytesRecursive),
      io_serviced_recursive: blkio(b.ioServicedRecursive),
      io_queued_recursive: blkio(b.ioQueuedRecursive),
      io_service_time_recursive: blkio(b.ioServiceTimeRecursive),
      io_wait_time_recursive: blkio(b.ioWaitTimeRecursive),
      io_merged_recursive: blkio(b.ioMergedRecursive),
      io_time_recursive: blkio(b.ioTimeRecursive),
      sectors_recursive: blkio(b.sectorsRecursive),
    };
  }
  for (const [size, h] of Object.entries(s.hugetlb ?? {})) {
    msg.hugetlb_stats![size] = { usage: u64(h.usage), max_usage: u64(h.maxUsage), failcnt: u64(h.failcnt) };
  }
  return msg;
}

export function networkStatsMsg(n: NetDevStats): NetworkStats {
  return {
    name: n.name,
    rx_bytes: u64(n.rxBytes),
    rx_Packets: u64(n.rxPackets),
    Rx_errors: u64(n.rxErrors),
    Rx_dropped: u64(n.rxDropped),
    Tx_bytes: u64(n.txBytes),
    Tx_packets: u64(n.txPackets),
    Tx_errors: u64(n.txErrors),
    Tx_dropped: u64(n.txDropped),
  };
}

/** timestamp: Unix SECONDS, as the 2015 original sent (kept for compatibility; see README). */
export function statsMsg(cg: CgroupStats, net: NetDevStats[], now = Date.now()): Stats {
  return { cgroup_stats: cgroupStatsMsg(cg), network_stats: net.map(networkStatsMsg), timestamp: String(Math.floor(now / 1000)) };
}
