/** The hand-written pure v2 tree (test/fixtures/cgroups/v2, see its README). */
import { describe, expect, it } from 'vitest';
import { CgroupReader, readNetDev } from '../../../src/cgroups';
import { rootsOf } from './helpers';

const roots = rootsOf('v2');
const WEB = 4242;
const MINIMAL = 4343;

async function statsOf(pid: number) {
  return (await new CgroupReader(roots).forPid(pid)).stats();
}

describe('pure v2 host', () => {
  it('is detected as v2 and resolves the 0:: path under cgroup2 at /sys/fs/cgroup', async () => {
    const r = new CgroupReader(roots);
    expect(await r.mode()).toBe('v2');
    const cg = await r.forPid(WEB);
    expect(cg.version).toBe(2);
    expect(cg.path).toBe('/legacyd/web');
    expect(cg.dirs.memory).toBe(`${roots.cgroupRoot}/legacyd/web`);
  });

  describe('/legacyd/web: every controller enabled', () => {
    it('reads cpu.stat µs as ns and leaves per-cpu absent (the kernel has none)', async () => {
      const s = await statsOf(WEB);
      expect(s.errors).toEqual([]);
      expect(s.cpu!.usage).toEqual({ total: 8123456000n, user: 6000000000n, kernel: 2123456000n });
      expect(s.cpu!.usage!.perCpu).toBeUndefined();
      expect('perCpu' in s.cpu!.usage!).toBe(false);
    });

    it('reads throttling (throttled_usec as ns) and cpu.max / cpu.weight', async () => {
      const s = await statsOf(WEB);
      expect(s.cpu!.throttling).toEqual({ periods: 1200n, throttledPeriods: 300n, throttledTime: 4500000000n });
      expect(s.cpu!.spec).toEqual({ quotaUs: 50000n, periodUs: 100000n, weight: 100n });
    });

    it('maps memory.current / peak / events max, swap as memory+swap, kernel from memory.stat', async () => {
      const m = (await statsOf(WEB)).memory!;
      expect(m.usage).toEqual({ usage: 104857600n, maxUsage: 157286400n, failcnt: 12n });
      expect(m.swapUsage).toEqual({ usage: 104857600n + 1048576n });
      expect(m.kernelUsage).toEqual({ usage: 6291456n });
      expect(m.cache).toBe(41943040n); // memory.stat file
      expect(m.limit).toBe(536870912n);
      expect(m.workingSet).toBe(104857600n - 20971520n);
      expect(m.rss).toBe(52428800n); // anon
      expect(m.mappedFile).toBe(8388608n); // file_mapped
      expect(m.swap).toBe(1048576n);
      expect(m.oomKills).toBe(1n);
      expect(m.failures).toEqual({ container: { pgfault: 123456n, pgmajfault: 78n }, hierarchy: { pgfault: 123456n, pgmajfault: 78n } });
      expect(Object.keys(m.stats)).toHaveLength(59);
      expect(m.stats['slab']).toBe(4718592n);
    });

    it('maps io.stat to service bytes / serviced Read and Write, keeping u64 precision', async () => {
      const b = (await statsOf(WEB)).blkio!;
      expect(b.ioServiceBytesRecursive).toEqual([
        { major: 254, minor: 0, op: 'Read', value: 1048576n },
        { major: 254, minor: 0, op: 'Write', value: 4194304n },
        { major: 8, minor: 16, op: 'Read', value: 0n },
        { major: 8, minor: 16, op: 'Write', value: 9007199254740993n },
      ]);
      expect(b.ioServicedRecursive).toEqual([
        { major: 254, minor: 0, op: 'Read', value: 256n },
        { major: 254, minor: 0, op: 'Write', value: 1024n },
        { major: 8, minor: 16, op: 'Read', value: 0n },
        { major: 8, minor: 16, op: 'Write', value: 1n },
      ]);
      expect(b.ioQueuedRecursive).toEqual([]);
      expect(b.ioServiceTimeRecursive).toEqual([]);
      expect(b.ioWaitTimeRecursive).toEqual([]);
      expect(b.ioMergedRecursive).toEqual([]);
      expect(b.ioTimeRecursive).toEqual([]);
      expect(b.sectorsRecursive).toEqual([]);
    });

    it('reads hugetlb per page size (rsvd counters are not a size), max_usage absent', async () => {
      const s = await statsOf(WEB);
      expect(s.hugetlb).toEqual({ '2MB': { usage: 4194304n, failcnt: 3n }, '1GB': { usage: 0n, failcnt: 0n } });
      expect(Object.keys(s.hugetlb!)).toEqual(['2MB', '1GB']);
      expect('maxUsage' in s.hugetlb!['2MB']!).toBe(false);
    });

    it('reads pids.max "max" as max', async () => {
      expect((await statsOf(WEB)).pids).toEqual({ current: 7n, limit: 'max' });
    });

    it('reads oomKills() from memory.events', async () => {
      expect(await (await new CgroupReader(roots).forPid(WEB)).oomKills()).toBe(1n);
    });

    it('reads net/dev with a counter above 2^53 exactly', async () => {
      const devs = await readNetDev(roots.procRoot, WEB);
      expect(devs.map((d) => d.name)).toEqual(['lo', 'eth0']);
      expect(devs[1]).toEqual({
        name: 'eth0',
        rxBytes: 9007199254740993n,
        rxPackets: 7654321n,
        rxErrors: 3n,
        rxDropped: 4n,
        txBytes: 5555555n,
        txPackets: 44444n,
        txErrors: 5n,
        txDropped: 6n,
      });
    });
  });

  describe('/legacyd/minimal: only memory and pids enabled, an older kernel', () => {
    it('still reads cpu usage (core cpu.stat) but no throttling or spec without the cpu controller', async () => {
      const s = await statsOf(MINIMAL);
      expect(s.errors).toEqual([]);
      expect(s.cpu).toEqual({ usage: { total: 1000000n, user: 600000n, kernel: 400000n } });
    });

    it('leaves blkio and hugetlb absent when io and hugetlb are not enabled', async () => {
      const s = await statsOf(MINIMAL);
      expect(s.blkio).toBeUndefined();
      expect(s.hugetlb).toBeUndefined();
    });

    it('leaves max usage, swap and kernel usage absent rather than inventing them', async () => {
      const m = (await statsOf(MINIMAL)).memory!;
      expect(m.usage).toEqual({ usage: 4096n, failcnt: 0n });
      expect(m.swapUsage).toBeUndefined();
      expect(m.swap).toBeUndefined();
      expect(m.kernelUsage).toBeUndefined();
      expect(m.limit).toBe('max');
      expect(m.oomKills).toBe(0n);
    });

    it('floors the working set at 0 when inactive_file exceeds usage', async () => {
      expect((await statsOf(MINIMAL)).memory!.workingSet).toBe(0n);
    });

    it('reads a numeric pids.max', async () => {
      expect((await statsOf(MINIMAL)).pids).toEqual({ current: 1n, limit: 32n });
    });
  });
});
