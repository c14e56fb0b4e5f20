// Original file: api/grpc/types/api.proto

import type { Checkpoint as _types_Checkpoint, Checkpoint__Output as _types_Checkpoint__Output } from '../types/Checkpoint';

export interface CreateCheckpointRequest {
  'id'?: (string);
  'checkpoint'?: (_types_Checkpoint | null);
}

export interface CreateCheckpointRequest__Output {
  'id': (string);
  'checkpoint': (_types_Checkpoint__Output | null);
}
