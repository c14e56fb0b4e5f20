import type { ServerWritableStream } from '@grpc/grpc-js';
import type { Supervisor } from '../../supervisor';
import type { EventsRequest__Output } from '../../proto/generated/types/EventsRequest';
import type { Event } from '../../proto/generated/types/Event';
import { eventMsg } from '../convert';
import { serverStream, writeMessage, type HandlerContext } from '../wrap';

/** A live subscription (grpc-health-check's watch shape): released when the client cancels. */
export function events(ctx: HandlerContext, sup: Supervisor) {
  return serverStream<EventsRequest__Output, Event>(ctx, 'Events', async (call: ServerWritableStream<EventsRequest__Output, Event>) => {
    const sub = sup.subscribe();
    call.on('cancelled', () => sub.close());
    for (;;) {
      const ev = await sub.next();
      if (ev === undefined || call.cancelled) return;
      await writeMessage(call, eventMsg(ev));
    }
  });
}
