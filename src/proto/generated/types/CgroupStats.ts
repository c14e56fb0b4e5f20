// Original file: api/grpc/types/api.proto

import type { CpuStats as _types_CpuStats, CpuStats__Output as _types_CpuStats__Output } from '../types/CpuStats';
import type { MemoryStats as _types_MemoryStats, MemoryStats__Output as _types_MemoryStats__Output } from '../types/MemoryStats';
import type { BlkioStats as _types_BlkioStats, BlkioStats__Output as _types_BlkioStats__Output } from '../types/BlkioStats';
import type { HugetlbStats as _types_HugetlbStats, HugetlbStats__Output as _types_HugetlbStats__Output } from '../types/HugetlbStats';

export interface CgroupStats {
  'cpu_stats'?: (_types_CpuStats | null);
  'memory_stats'?: (_types_MemoryStats | null);
  'blkio_stats'?: (_types_BlkioStats | null);
  'hugetlb_stats'?: ({[key: string]: _types_HugetlbStats});
}

export interface CgroupStats__Output {
  'cpu_stats': (_types_CpuStats__Output | null);
  'memory_stats': (_types_MemoryStats__Output | null);
  'blkio_stats': (_types_BlkioStats__Output | null);
  'hugetlb_stats': ({[key: string]: _types_HugetlbStats__Output});
}
