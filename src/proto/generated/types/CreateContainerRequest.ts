// Original file: api/grpc/types/api.proto


export interface CreateContainerRequest {
  'id'?: (string);
  'bundlePath'?: (string);
  'stdin'?: (string);
  'stdout'?: (string);
  'stderr'?: (string);
  'console'?: (string);
  'checkpoint'?: (string);
}

export interface CreateContainerRequest__Output {
  'id': (string);
  'bundlePath': (string);
  'stdin': (string);
  'stdout': (string);
  'stderr': (string);
  'console': (string);
  'checkpoint': (string);
}
