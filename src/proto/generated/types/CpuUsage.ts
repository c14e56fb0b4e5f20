// Original file: api/grpc/types/api.proto

import type { Long } from '@grpc/proto-loader';

export interface CpuUsage {
  'total_usage'?: (number | string | Long);
  'percpu_usage'?: (number | string | Long)[];
  'usage_in_kernelmode'?: (number | string | Long);
  'usage_in_usermode'?: (number | string | Long);
}

export interface CpuUsage__Output {
  'total_usage': (string);
  'percpu_usage': (string)[];
  'usage_in_kernelmode': (string);
  'usage_in_usermode': (string);
}
