// Original file: api/grpc/types/api.proto

import type { Long } from '@grpc/proto-loader';

export interface BlkioStatsEntry {
  'major'?: (number | string | Long);
  'minor'?: (number | string | Long);
  'op'?: (string);
  'value'?: (number | string | Long);
}

export interface BlkioStatsEntry__Output {
  'major': (string);
  'minor': (string);
  'op': (string);
  'value': (string);
}
