// Original file: api/grpc/types/api.proto

import type { Long } from '@grpc/proto-loader';

export interface MemoryData {
  'usage'?: (number | string | Long);
  'max_usage'?: (number | string | Long);
  'failcnt'?: (number | string | Long);
}

export interface MemoryData__Output {
  'usage': (string);
  'max_usage': (string);
  'failcnt': (string);
}
