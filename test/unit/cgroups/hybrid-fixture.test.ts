/**
 * The captured hybrid tree (scripts/capture-cgroup-fixtures.sh on this machine): two real runc
 * containers. Expected values are the captured files' contents; refresh them with the fixture.
 */
import { describe, expect, it } from 'vitest';
import { CgroupReader, type CgroupStats } from '../../../src/cgroups';
import { capturedContainers, rootsOf } from './helpers';

const roots = rootsOf('hybrid-runc');
const { burner, memlimit } = capturedContainers();
const MEMORY_PARENT = '/process_api/92769593772fabc32728f36954f2acd3';

async function statsOf(pid: number): Promise<CgroupStats> {
  return (await new CgroupReader(roots).forPid(pid)).stats();
}

describe('hybrid host, captured from runc 1.1.5 on kernel 6.18', () => {
  it('is detected as hybrid', async () => {
    expect(await new CgroupReader(roots).mode()).toBe('hybrid');
  });

  it('resolves v1 directories (memory nested under its parent path), not the unified mount', async () => {
    const cg = await new CgroupReader(roots).forPid(burner.pid);
    expect(cg.version).toBe(1);
    expect(cg.path).toBe(`/${burner.id}`);
    expect(cg.dirs).toEqual({
      cpu: `${roots.cgroupRoot}/cpu/${burner.id}`,
      cpuacct: `${roots.cgroupRoot}/cpuacct/${burner.id}`,
      memory: `${roots.cgroupRoot}/memory${MEMORY_PARENT}/${burner.id}`,
      blkio: `${roots.cgroupRoot}/blkio/${burner.id}`,
      pids: `${roots.cgroupRoot}/pids/${burner.id}`,
    });
  });

  describe('burner (busy loop, cpu quota 50000/100000, pids.max 64)', () => {
    it('reads cpu usage from cpuacct (not unified cpu.stat), per-cpu, user/kernel ticks in ns', async () => {
      const s = await statsOf(burner.pid);
      expect(s.errors).toEqual([]);
      expect(s.cpu!.usage).toEqual({
        total: 1613333601n,
        perCpu: [124457078n, 1488876523n],
        user: 160n * 10_000_000n,
        kernel: 0n,
      });
    });

    it('reads throttling and the cfs spec', async () => {
      const s = await statsOf(burner.pid);
      expect(s.cpu!.throttling).toEqual({ periods: 31n, throttledPeriods: 31n, throttledTime: 1512138729n });
      expect(s.cpu!.spec).toEqual({ periodUs: 100000n, quotaUs: 50000n, shares: 1024n });
    });

    it('reads memory with an unlimited limit as max, and memsw/kmem', async () => {
      const m = (await statsOf(burner.pid)).memory!;
      expect(m.usage).toEqual({ usage: 393216n, maxUsage: 2781184n, failcnt: 0n });
      expect(m.swapUsage).toEqual({ usage: 393216n, maxUsage: 2781184n, failcnt: 0n });
      expect(m.kernelUsage).toEqual({ usage: 245760n, maxUsage: 589824n, failcnt: 0n });
      expect(m.limit).toBe('max');
      expect(m.cache).toBe(0n);
      expect(m.workingSet).toBe(393216n); // total_inactive_file 0
      expect(m.rss).toBe(61440n);
      expect(m.mappedFile).toBe(0n);
      expect(m.swap).toBe(0n);
      expect(m.oomKills).toBe(0n);
      expect(m.failures).toEqual({ container: { pgfault: 783n, pgmajfault: 0n }, hierarchy: { pgfault: 783n, pgmajfault: 0n } });
      expect(Object.keys(m.stats)).toHaveLength(42);
      expect(m.stats['hierarchical_memory_limit']).toBe(9223372036854771712n); // the map is memory.stat as is
    });

    it('reads pids with a limit, and no blkio entries (no I/O, "Total 0")', async () => {
      const s = await statsOf(burner.pid);
      expect(s.pids).toEqual({ current: 1n, limit: 64n });
      expect(Object.values(s.blkio!).every((list) => list.length === 0)).toBe(true);
    });

    it('leaves hugetlb absent: the controller is not mounted on this host', async () => {
      const s = await statsOf(burner.pid);
      expect(s.hugetlb).toBeUndefined();
      expect('hugetlb' in s).toBe(false);
    });
  });

  describe('memlimit (64 MiB, a child OOM-killed, 16 MiB direct I/O each way, 8 MiB page cache)', () => {
    it('reads the memory limit, cache, working set and the OOM kill', async () => {
      const s = await statsOf(memlimit.pid);
      expect(s.errors).toEqual([]);
      const m = s.memory!;
      expect(m.limit).toBe(67108864n);
      expect(m.usage).toEqual({ usage: 9302016n, maxUsage: 67108864n, failcnt: 0n });
      expect(m.swapUsage).toEqual({ usage: 9302016n, maxUsage: 67108864n, failcnt: 0n });
      expect(m.kernelUsage).toEqual({ usage: 536576n, maxUsage: 860160n, failcnt: 0n });
      expect(m.cache).toBe(8396800n);
      expect(m.workingSet).toBe(9302016n - 8388608n);
      expect(m.rss).toBe(118784n);
      expect(m.oomKills).toBe(1n);
      expect(m.failures.container).toEqual({ pgfault: 18267n, pgmajfault: 0n });
      expect(m.stats['total_inactive_file']).toBe(8388608n);
    });

    it('reports the OOM kill through oomKills() too', async () => {
      const cg = await new CgroupReader(roots).forPid(memlimit.pid);
      expect(await cg.oomKills()).toBe(1n);
    });

    it('falls back to blkio.throttle.* (no CFQ files on this kernel) for bytes and ios', async () => {
      const b = (await statsOf(memlimit.pid)).blkio!;
      const dev = { major: 254, minor: 0 };
      expect(b.ioServiceBytesRecursive).toEqual([
        { ...dev, op: 'Read', value: 16777216n },
        { ...dev, op: 'Write', value: 16777216n },
        { ...dev, op: 'Sync', value: 33554432n },
        { ...dev, op: 'Async', value: 0n },
        { ...dev, op: 'Discard', value: 0n },
        { ...dev, op: 'Total', value: 33554432n },
      ]);
      expect(b.ioServicedRecursive).toEqual([
        { ...dev, op: 'Read', value: 16n },
        { ...dev, op: 'Write', value: 32n },
        { ...dev, op: 'Sync', value: 48n },
        { ...dev, op: 'Async', value: 0n },
        { ...dev, op: 'Discard', value: 0n },
        { ...dev, op: 'Total', value: 48n },
      ]);
      expect(b.ioQueuedRecursive).toEqual([]);
      expect(b.sectorsRecursive).toEqual([]);
    });

    it('reads an unlimited quota as max, and pids.max "max"', async () => {
      const s = await statsOf(memlimit.pid);
      expect(s.cpu!.usage).toEqual({ total: 578221929n, perCpu: [320620895n, 257601034n], user: 370000000n, kernel: 200000000n });
      expect(s.cpu!.spec).toEqual({ periodUs: 100000n, quotaUs: 'max', shares: 1024n });
      expect(s.cpu!.throttling).toEqual({ periods: 0n, throttledPeriods: 0n, throttledTime: 0n });
      expect(s.pids).toEqual({ current: 2n, limit: 'max' });
    });
  });

  it('reads net/dev of the container namespace: only lo', async () => {
    const r = new CgroupReader(roots);
    expect(await r.readNetDev(burner.pid)).toEqual([
      { name: 'lo', rxBytes: 0n, rxPackets: 0n, rxErrors: 0n, rxDropped: 0n, txBytes: 0n, txPackets: 0n, txErrors: 0n, txDropped: 0n },
    ]);
  });

  it('reads the same with blocking I/O', async () => {
    const a = await statsOf(memlimit.pid);
    const b = await (await new CgroupReader({ ...roots, io: 'sync' }).forPid(memlimit.pid)).stats();
    expect(b).toEqual(a);
  });
});
