import * as path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType } from './generated/api';

/** Where the wire contract lives, relative to the package root (works from src/ and dist/src/). */
export function protoPath(): string {
  const fromSrc = path.resolve(__dirname, '..', '..', 'api', 'grpc', 'types', 'api.proto');
  const fromDist = path.resolve(__dirname, '..', '..', '..', 'api', 'grpc', 'types', 'api.proto');
  return require('node:fs').existsSync(fromSrc) ? fromSrc : fromDist;
}

/**
 * Loader options shared by server and clients. keepCase: the proto has fields such as
 * `rx_Packets`. longs: String, because uint64 values (an unlimited memory limit is
 * 9223372036854771712) exceed 2^53; the generated __Output types say `string`.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export function loadPackageDefinition(): protoLoader.PackageDefinition {
  return protoLoader.loadSync(protoPath(), LOADER_OPTIONS);
}

export function loadApi(): ProtoGrpcType {
  return grpc.loadPackageDefinition(loadPackageDefinition()) as unknown as ProtoGrpcType;
}
