// Original file: api/grpc/types/api.proto


export interface AddProcessResponse {
  'pid'?: (number);
}

export interface AddProcessResponse__Output {
  'pid': (number);
}
