import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import * as errors from '../../../src/errors';
import { toServiceError } from '../../../src/shim/status';

describe('domain errors become gRPC status codes in one place', () => {
  it.each([
    [errors.invalidArgument('x'), status.INVALID_ARGUMENT],
    [errors.notFound('x'), status.NOT_FOUND],
    [errors.alreadyExists('x'), status.ALREADY_EXISTS],
    [errors.failedPrecondition('x'), status.FAILED_PRECONDITION],
    [errors.unavailable('x'), status.UNAVAILABLE],
    [errors.internal('x'), status.INTERNAL],
    [errors.unimplemented('x'), status.UNIMPLEMENTED],
    [errors.resourceExhausted('x'), status.RESOURCE_EXHAUSTED],
  ])('%s → %s', (err, code) => {
    expect(toServiceError(err).code).toBe(code);
  });

  it('anything else is INTERNAL', () => {
    expect(toServiceError(new TypeError('boom')).code).toBe(status.INTERNAL);
    expect(toServiceError('a string').code).toBe(status.INTERNAL);
  });

  it('details are one readable line', () => {
    const e = toServiceError(errors.internal('runc run c1 failed:\n  line one\n  line two'));
    expect(e.details).toBe('runc run c1 failed:; line one; line two');
  });
});
