// Original file: api/grpc/types/api.proto


export interface DeleteCheckpointRequest {
  'id'?: (string);
  'name'?: (string);
}

export interface DeleteCheckpointRequest__Output {
  'id': (string);
  'name': (string);
}
