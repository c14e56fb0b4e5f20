// Original file: api/grpc/types/api.proto

import type { Container as _types_Container, Container__Output as _types_Container__Output } from '../types/Container';
import type { Machine as _types_Machine, Machine__Output as _types_Machine__Output } from '../types/Machine';

export interface StateResponse {
  'containers'?: (_types_Container)[];
  'machine'?: (_types_Machine | null);
}

export interface StateResponse__Output {
  'containers': (_types_Container__Output)[];
  'machine': (_types_Machine__Output | null);
}
