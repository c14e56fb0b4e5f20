// Original file: api/grpc/types/api.proto

import type { Checkpoint as _types_Checkpoint, Checkpoint__Output as _types_Checkpoint__Output } from '../types/Checkpoint';

export interface ListCheckpointResponse {
  'checkpoints'?: (_types_Checkpoint)[];
}

export interface ListCheckpointResponse__Output {
  'checkpoints': (_types_Checkpoint__Output)[];
}
