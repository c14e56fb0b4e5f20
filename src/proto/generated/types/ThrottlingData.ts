// Original file: api/grpc/types/api.proto

import type { Long } from '@grpc/proto-loader';

export interface ThrottlingData {
  'periods'?: (number | string | Long);
  'throttled_periods'?: (number | string | Long);
  'throttled_time'?: (number | string | Long);
}

export interface ThrottlingData__Output {
  'periods': (string);
  'throttled_periods': (string);
  'throttled_time': (string);
}
