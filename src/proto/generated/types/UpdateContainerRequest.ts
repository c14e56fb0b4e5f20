// Original file: api/grpc/types/api.proto


export interface UpdateContainerRequest {
  'id'?: (string);
  'signal'?: (number);
  'status'?: (string);
}

export interface UpdateContainerRequest__Output {
  'id': (string);
  'signal': (number);
  'status': (string);
}
