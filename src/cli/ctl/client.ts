import * as grpc from '@grpc/grpc-js';
import type { APIClient } from '../../proto/generated/types/API';
import { loadApi } from '../../proto/load';

export const DEFAULT_ADDRESS = 'unix:///run/legacyd/legacyd.sock';

/** grpc-js accepts unix:///path as is; tcp://host:port becomes host:port. */
export function target(address: string): string {
  return address.startsWith('tcp://') ? address.slice('tcp://'.length) : address;
}

export function connect(address: string): APIClient {
  return new (loadApi().types.API)(target(address), grpc.credentials.createInsecure()) as unknown as APIClient;
}

/** A unary call as a promise (30 s deadline; checkpoints may take longer). */
export function call<Req, Res>(
  fn: (req: Req, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: Res) => void) => unknown,
  req: Req,
  deadlineMs = 30_000,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn(req, { deadline: Date.now() + deadlineMs }, (e, r) => (e ? reject(e) : resolve(r as Res)));
  });
}

/** One readable line from a gRPC error ("container web1 not found"). */
export function errorLine(e: unknown): string {
  const err = e as grpc.ServiceError;
  if (typeof err?.code === 'number') {
    if (err.code === grpc.status.UNAVAILABLE && /connect|No connection/i.test(err.details)) {
      return `cannot reach legacyd: ${connectFailure(err.details)} (is it running, with this --listen address?)`;
    }
    return err.details || err.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * The socket's own error out of grpc-js's wording ("No connection established. Last error:
 * Error: connect ENOENT /run/x.sock. Resolution note: " → "connect ENOENT /run/x.sock").
 */
function connectFailure(details: string): string {
  const m = /Last error: (?:Error: )?(.*?)\.?\s*(?:Resolution note:.*)?$/s.exec(details);
  return m?.[1] || details;
}
