// Original file: api/grpc/types/api.proto

import type { NetworkStats as _types_NetworkStats, NetworkStats__Output as _types_NetworkStats__Output } from '../types/NetworkStats';
import type { CgroupStats as _types_CgroupStats, CgroupStats__Output as _types_CgroupStats__Output } from '../types/CgroupStats';
import type { Long } from '@grpc/proto-loader';

export interface Stats {
  'network_stats'?: (_types_NetworkStats)[];
  'cgroup_stats'?: (_types_CgroupStats | null);
  'timestamp'?: (number | string | Long);
}

export interface Stats__Output {
  'network_stats': (_types_NetworkStats__Output)[];
  'cgroup_stats': (_types_CgroupStats__Output | null);
  'timestamp': (string);
}
