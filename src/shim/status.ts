import { status as Status, Metadata, type ServiceError } from '@grpc/grpc-js';
import { isLegacydError, oneLine, type ErrorKind } from '../errors';

/** The ONE place where domain errors become gRPC status codes. */
const CODES: Record<ErrorKind, Status> = {
  'invalid-argument': Status.INVALID_ARGUMENT,
  'not-found': Status.NOT_FOUND,
  'already-exists': Status.ALREADY_EXISTS,
  'failed-precondition': Status.FAILED_PRECONDITION,
  unavailable: Status.UNAVAILABLE,
  internal: Status.INTERNAL,
  unimplemented: Status.UNIMPLEMENTED,
  'resource-exhausted': Status.RESOURCE_EXHAUSTED,
};

export function toServiceError(e: unknown): ServiceError {
  const code = isLegacydError(e) ? CODES[e.kind] : Status.INTERNAL;
  const details = oneLine(e instanceof Error ? e.message : String(e));
  const err = new Error(details) as ServiceError;
  err.code = code;
  err.details = details;
  err.metadata = new Metadata();
  return err;
}

export function codeName(code: Status): string {
  return Status[code] ?? String(code);
}
