// Original file: api/grpc/types/api.proto


export interface SignalRequest {
  'id'?: (string);
  'pid'?: (number);
  'signal'?: (number);
}

export interface SignalRequest__Output {
  'id': (string);
  'pid': (number);
  'signal': (number);
}
