// Original file: api/grpc/types/api.proto


export interface Checkpoint {
  'name'?: (string);
  'exit'?: (boolean);
  'tcp'?: (boolean);
  'unixSockets'?: (boolean);
  'shell'?: (boolean);
}

export interface Checkpoint__Output {
  'name': (string);
  'exit': (boolean);
  'tcp': (boolean);
  'unixSockets': (boolean);
  'shell': (boolean);
}
