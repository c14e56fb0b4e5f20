// Original file: api/grpc/types/api.proto


export interface ListCheckpointRequest {
  'id'?: (string);
}

export interface ListCheckpointRequest__Output {
  'id': (string);
}
