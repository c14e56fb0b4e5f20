// Original file: api/grpc/types/api.proto

import type { User as _types_User, User__Output as _types_User__Output } from '../types/User';

export interface Process {
  'pid'?: (number);
  'terminal'?: (boolean);
  'user'?: (_types_User | null);
  'args'?: (string)[];
  'env'?: (string)[];
  'cwd'?: (string);
}

export interface Process__Output {
  'pid': (number);
  'terminal': (boolean);
  'user': (_types_User__Output | null);
  'args': (string)[];
  'env': (string)[];
  'cwd': (string);
}
