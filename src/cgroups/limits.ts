import type { Limit } from './types';

export function isUnlimited(limit: Limit): limit is 'max' {
  return limit === 'max';
}

/**
 * cgroup v2 cpu.weight (1..10000) → v1-style cpu.shares (2..262144), the inverse of runc's
 * shares → weight mapping; cAdvisor reports container_spec_cpu_shares this way on v2.
 */
export function cpuWeightToShares(weight: bigint): bigint {
  if (weight < 1n) return 2n;
  return 2n + ((weight - 1n) * 262142n) / 9999n;
}
