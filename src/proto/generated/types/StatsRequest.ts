// Original file: api/grpc/types/api.proto


export interface StatsRequest {
  'id'?: (string);
}

export interface StatsRequest__Output {
  'id': (string);
}
