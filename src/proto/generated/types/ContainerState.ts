// Original file: api/grpc/types/api.proto


export interface ContainerState {
  'status'?: (string);
}

export interface ContainerState__Output {
  'status': (string);
}
