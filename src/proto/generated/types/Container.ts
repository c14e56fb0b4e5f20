// Original file: api/grpc/types/api.proto

import type { Process as _types_Process, Process__Output as _types_Process__Output } from '../types/Process';

export interface Container {
  'id'?: (string);
  'name'?: (string);
  'bundlePath'?: (string);
  'processes'?: (_types_Process)[];
  'status'?: (string);
}

export interface Container__Output {
  'id': (string);
  'name': (string);
  'bundlePath': (string);
  'processes': (_types_Process__Output)[];
  'status': (string);
}
