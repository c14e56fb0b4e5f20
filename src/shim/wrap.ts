import { status as Status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from '../log';
import type { InFlight } from '../in-flight';
import type { CallObserver } from './observer';
import { codeName, toServiceError } from './status';

export interface HandlerContext {
  observer: CallObserver;
  log: Logger;
  /** Unary calls being handled (a shutdown lets them finish); none tracked when absent. */
  inFlight?: InFlight;
}

/** A unary handler from an async function: errors mapped once, every call observed and tracked. */
export function unary<Req, Res>(ctx: HandlerContext, method: string, fn: (req: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    const started = process.hrtime.bigint();
    const done = (code: Status): void => ctx.observer.onCall(method, codeName(code), seconds(started));
    const work = fn(call.request);
    ctx.inFlight?.track(work).catch(() => undefined);
    work.then(
      (res) => {
        done(Status.OK);
        callback(null, res);
      },
      (e: unknown) => {
        const err = toServiceError(e);
        done(err.code);
        if (err.code === Status.INTERNAL) ctx.log.warn(`${method} failed`, { err: err.details });
        callback(err);
      },
    );
  };
}

/** A server-stream handler: `fn` writes with backpressure and returns when the stream should end OK. */
export function serverStream<Req, Res>(
  ctx: HandlerContext,
  method: string,
  fn: (call: ServerWritableStream<Req, Res>) => Promise<void>,
) {
  return (call: ServerWritableStream<Req, Res>): void => {
    const started = process.hrtime.bigint();
    fn(call).then(
      () => {
        ctx.observer.onCall(method, codeName(Status.OK), seconds(started));
        if (!call.cancelled) call.end();
      },
      (e: unknown) => {
        const err = toServiceError(e);
        ctx.observer.onCall(method, codeName(call.cancelled ? Status.CANCELLED : err.code), seconds(started));
        if (!call.cancelled) call.emit('error', err); // grpc-js sends it as the stream's status after buffered messages
      },
    );
  };
}

/** Writes one message, waiting for 'drain' when the transport's buffer is full. */
export async function writeMessage<Res>(call: ServerWritableStream<unknown, Res>, msg: Res): Promise<void> {
  if (call.write(msg)) return;
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      call.off('drain', finish);
      call.off('cancelled', finish);
      resolve();
    };
    call.once('drain', finish);
    call.once('cancelled', finish);
  });
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
