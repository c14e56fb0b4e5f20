/**
 * Domain errors, typed by kind. Every layer throws these (or wraps its own typed errors,
 * such as RuncError, in them); the gRPC edge maps `kind` to a status code in one place.
 */
export type ErrorKind =
  | 'invalid-argument'
  | 'not-found'
  | 'already-exists'
  | 'failed-precondition'
  | 'unavailable'
  | 'internal'
  | 'unimplemented'
  | 'resource-exhausted';

export class LegacydError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LegacydError';
  }
}

export const invalidArgument = (msg: string, cause?: unknown) => new LegacydError('invalid-argument', msg, { cause });
export const notFound = (msg: string, cause?: unknown) => new LegacydError('not-found', msg, { cause });
export const alreadyExists = (msg: string, cause?: unknown) => new LegacydError('already-exists', msg, { cause });
export const failedPrecondition = (msg: string, cause?: unknown) => new LegacydError('failed-precondition', msg, { cause });
export const unavailable = (msg: string, cause?: unknown) => new LegacydError('unavailable', msg, { cause });
export const internal = (msg: string, cause?: unknown) => new LegacydError('internal', msg, { cause });
export const unimplemented = (msg: string, cause?: unknown) => new LegacydError('unimplemented', msg, { cause });
export const resourceExhausted = (msg: string, cause?: unknown) => new LegacydError('resource-exhausted', msg, { cause });

/** A failed filesystem write: resource-exhausted when the filesystem is full (ENOSPC, EDQUOT), else internal. */
export function writeFailure(msg: string, cause: unknown): LegacydError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? resourceExhausted(msg, cause) : internal(msg, cause);
}

export function isLegacydError(e: unknown): e is LegacydError {
  return e instanceof LegacydError;
}

/** One readable line from any error (multi-line stderr is collapsed and trimmed). */
export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s*\n\s*/g, '; ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
