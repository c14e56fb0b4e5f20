import { unimplemented } from '../../errors';
import { serverStream, unary, type HandlerContext } from '../wrap';

/** RPCs whose feature is not built yet answer UNIMPLEMENTED with a line saying so. */
export function notYet(ctx: HandlerContext, method: string, what: string) {
  return unary<unknown, never>(ctx, method, async () => {
    throw unimplemented(`${method}: ${what} is not implemented in this legacyd build`);
  });
}

export function notYetStream(ctx: HandlerContext, method: string, what: string) {
  return serverStream<unknown, never>(ctx, method, async () => {
    throw unimplemented(`${method}: ${what} is not implemented in this legacyd build`);
  });
}
