// Original file: api/grpc/types/api.proto

import type { User as _types_User, User__Output as _types_User__Output } from '../types/User';

export interface AddProcessRequest {
  'id'?: (string);
  'terminal'?: (boolean);
  'user'?: (_types_User | null);
  'args'?: (string)[];
  'env'?: (string)[];
  'cwd'?: (string);
  'stdin'?: (string);
  'stdout'?: (string);
  'stderr'?: (string);
  'console'?: (string);
}

export interface AddProcessRequest__Output {
  'id': (string);
  'terminal': (boolean);
  'user': (_types_User__Output | null);
  'args': (string)[];
  'env': (string)[];
  'cwd': (string);
  'stdin': (string);
  'stdout': (string);
  'stderr': (string);
  'console': (string);
}
