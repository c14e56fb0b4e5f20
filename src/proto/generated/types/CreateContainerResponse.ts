// Original file: api/grpc/types/api.proto


export interface CreateContainerResponse {
  'pid'?: (number);
}

export interface CreateContainerResponse__Output {
  'pid': (number);
}
