// Original file: api/grpc/types/api.proto

import type { BlkioStatsEntry as _types_BlkioStatsEntry, BlkioStatsEntry__Output as _types_BlkioStatsEntry__Output } from '../types/BlkioStatsEntry';

export interface BlkioStats {
  'io_service_bytes_recursive'?: (_types_BlkioStatsEntry)[];
  'io_serviced_recursive'?: (_types_BlkioStatsEntry)[];
  'io_queued_recursive'?: (_types_BlkioStatsEntry)[];
  'io_service_time_recursive'?: (_types_BlkioStatsEntry)[];
  'io_wait_time_recursive'?: (_types_BlkioStatsEntry)[];
  'io_merged_recursive'?: (_types_BlkioStatsEntry)[];
  'io_time_recursive'?: (_types_BlkioStatsEntry)[];
  'sectors_recursive'?: (_types_BlkioStatsEntry)[];
}

export interface BlkioStats__Output {
  'io_service_bytes_recursive': (_types_BlkioStatsEntry__Output)[];
  'io_serviced_recursive': (_types_BlkioStatsEntry__Output)[];
  'io_queued_recursive': (_types_BlkioStatsEntry__Output)[];
  'io_service_time_recursive': (_types_BlkioStatsEntry__Output)[];
  'io_wait_time_recursive': (_types_BlkioStatsEntry__Output)[];
  'io_merged_recursive': (_types_BlkioStatsEntry__Output)[];
  'io_time_recursive': (_types_BlkioStatsEntry__Output)[];
  'sectors_recursive': (_types_BlkioStatsEntry__Output)[];
}
