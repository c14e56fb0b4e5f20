// Original file: api/grpc/types/api.proto

import type { MemoryData as _types_MemoryData, MemoryData__Output as _types_MemoryData__Output } from '../types/MemoryData';
import type { Long } from '@grpc/proto-loader';

export interface MemoryStats {
  'cache'?: (number | string | Long);
  'usage'?: (_types_MemoryData | null);
  'swap_usage'?: (_types_MemoryData | null);
  'kernel_usage'?: (_types_MemoryData | null);
  'stats'?: ({[key: string]: number | string | Long});
}

export interface MemoryStats__Output {
  'cache': (string);
  'usage': (_types_MemoryData__Output | null);
  'swap_usage': (_types_MemoryData__Output | null);
  'kernel_usage': (_types_MemoryData__Output | null);
  'stats': ({[key: string]: string});
}
