// Original file: api/grpc/types/api.proto

import type { CpuUsage as _types_CpuUsage, CpuUsage__Output as _types_CpuUsage__Output } from '../types/CpuUsage';
import type { ThrottlingData as _types_ThrottlingData, ThrottlingData__Output as _types_ThrottlingData__Output } from '../types/ThrottlingData';

export interface CpuStats {
  'cpu_usage'?: (_types_CpuUsage | null);
  'throttling_data'?: (_types_ThrottlingData | null);
}

export interface CpuStats__Output {
  'cpu_usage': (_types_CpuUsage__Output | null);
  'throttling_data': (_types_ThrottlingData__Output | null);
}
