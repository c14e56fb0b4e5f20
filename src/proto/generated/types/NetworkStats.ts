// Original file: api/grpc/types/api.proto

import type { Long } from '@grpc/proto-loader';

export interface NetworkStats {
  'name'?: (string);
  'rx_bytes'?: (number | string | Long);
  'rx_Packets'?: (number | string | Long);
  'Rx_errors'?: (number | string | Long);
  'Rx_dropped'?: (number | string | Long);
  'Tx_bytes'?: (number | string | Long);
  'Tx_packets'?: (number | string | Long);
  'Tx_errors'?: (number | string | Long);
  'Tx_dropped'?: (number | string | Long);
}

export interface NetworkStats__Output {
  'name': (string);
  'rx_bytes': (string);
  'rx_Packets': (string);
  'Rx_errors': (string);
  'Rx_dropped': (string);
  'Tx_bytes': (string);
  'Tx_packets': (string);
  'Tx_errors': (string);
  'Tx_dropped': (string);
}
