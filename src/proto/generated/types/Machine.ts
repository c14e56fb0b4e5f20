// Original file: api/grpc/types/api.proto

import type { Long } from '@grpc/proto-loader';

export interface Machine {
  'id'?: (string);
  'cpus'?: (number);
  'memory'?: (number | string | Long);
}

export interface Machine__Output {
  'id': (string);
  'cpus': (number);
  'memory': (string);
}
