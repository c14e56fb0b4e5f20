import { toGroupError } from './file-error';
import type { BlkioStats, CgroupStats, CpuStats, GroupError, HugetlbStats, MemoryStats, PidsStats, StatsGroup } from './types';

export interface GroupValues {
  cpu: CpuStats;
  memory: MemoryStats;
  blkio: BlkioStats;
  hugetlb: Record<string, HugetlbStats>;
  pids: PidsStats;
}

/** One reader per group; undefined = controller not available (not an error). */
export type GroupReaders = { [G in StatsGroup]: () => Promise<GroupValues[G] | undefined> };

const ORDER: readonly StatsGroup[] = ['cpu', 'memory', 'blkio', 'hugetlb', 'pids'];

type Settled = { ok: true; value: unknown } | { ok: false; error: GroupError };

/** Starts every group at once (their files are read in parallel); a failing group becomes an entry in `errors`. */
export async function collectStats(readers: GroupReaders): Promise<CgroupStats> {
  const pending = ORDER.map((g) =>
    readers[g]().then(
      (value): Settled => ({ ok: true, value }),
      (e: unknown): Settled => ({ ok: false, error: toGroupError(g, e) }),
    ),
  );
  const settled = await Promise.all(pending);
  const out: CgroupStats = { errors: [] };
  const bag = out as unknown as Record<StatsGroup, unknown>;
  settled.forEach((s, i) => {
    if (!s.ok) out.errors.push(s.error);
    else if (s.value !== undefined) bag[ORDER[i]!] = s.value;
  });
  return out;
}

/** usage − inactive file, floor 0 (cAdvisor's working set). */
export function workingSet(usage: bigint, inactiveFile: bigint | undefined): bigint {
  if (inactiveFile === undefined) return usage;
  return usage > inactiveFile ? usage - inactiveFile : 0n;
}
