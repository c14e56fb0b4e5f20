// Original file: api/grpc/types/api.proto

import type { Process as _types_Process, Process__Output as _types_Process__Output } from '../types/Process';
import type { Container as _types_Container, Container__Output as _types_Container__Output } from '../types/Container';
import type { Checkpoint as _types_Checkpoint, Checkpoint__Output as _types_Checkpoint__Output } from '../types/Checkpoint';

export interface Event {
  'type'?: (string);
  'id'?: (string);
  'status'?: (number);
  'bundlePath'?: (string);
  'pid'?: (number);
  'signal'?: (number);
  'process'?: (_types_Process | null);
  'containers'?: (_types_Container)[];
  'checkpoint'?: (_types_Checkpoint | null);
}

export interface Event__Output {
  'type': (string);
  'id': (string);
  'status': (number);
  'bundlePath': (string);
  'pid': (number);
  'signal': (number);
  'process': (_types_Process__Output | null);
  'containers': (_types_Container__Output)[];
  'checkpoint': (_types_Checkpoint__Output | null);
}
