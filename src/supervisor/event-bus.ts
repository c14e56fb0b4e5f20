import { resourceExhausted, type LegacydError } from '../errors';
import type { DomainEvent } from './events';

export interface EventBusOptions {
  /** Events buffered for one subscriber before its stream is ended with RESOURCE_EXHAUSTED. */
  maxBuffered: number;
  /** How long recovered events stay available to new subscribers after the first one came. */
  backlogRetentionMs: number;
}

/** A recovered event (an exit that happened while the daemon was down) and what to do once it is handed out. */
export interface BacklogEvent {
  event: DomainEvent;
  delivered: () => void;
}

/**
 * Fans events out to subscribers in publish order. A subscriber that falls hopelessly behind is
 * ended with RESOURCE_EXHAUSTED instead of being dropped from silently (the 2015 original's bug).
 */
export class EventBus {
  private readonly subs = new Set<Subscription>();
  private backlog: BacklogEvent[] = [];
  private backlogTimer: NodeJS.Timeout | undefined;
  private closed = false;
  published = 0;
  overflowed = 0;

  constructor(private readonly opts: EventBusOptions) {}

  /** True once close() ran: nothing published reaches anyone. */
  get isClosed(): boolean {
    return this.closed;
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  /** Events recovered at start, handed to the subscribers that come first (see backlogRetentionMs). */
  setBacklog(events: BacklogEvent[]): void {
    this.backlog = events;
  }

  publish(event: DomainEvent): void {
    if (this.closed) return;
    this.published++;
    for (const s of this.subs) s.push(event);
  }

  subscribe(): Subscription {
    const sub = new Subscription(this.opts.maxBuffered, () => this.subs.delete(sub), () => this.overflowed++);
    if (this.closed) {
      sub.end();
      return sub;
    }
    if (this.backlog.length > 0) {
      for (const b of this.backlog) sub.push(b.event, b.delivered);
      if (!this.backlogTimer) {
        this.backlogTimer = setTimeout(() => (this.backlog = []), this.opts.backlogRetentionMs);
        this.backlogTimer.unref();
      }
    }
    this.subs.add(sub);
    return sub;
  }

  /** Ends every stream cleanly (daemon shutdown). */
  close(): void {
    this.closed = true;
    if (this.backlogTimer) clearTimeout(this.backlogTimer);
    for (const s of [...this.subs]) s.end();
  }
}

type Waiter = (r: { event?: DomainEvent; error?: LegacydError }) => void;

export class Subscription {
  private readonly queue: { event: DomainEvent; delivered?: () => void }[] = [];
  private waiter: Waiter | undefined;
  private ended = false;
  private error: LegacydError | undefined;

  constructor(
    private readonly max: number,
    private readonly detach: () => void,
    private readonly onOverflow: () => void,
  ) {}

  push(event: DomainEvent, delivered?: () => void): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      delivered?.();
      w({ event });
      return;
    }
    if (this.queue.length >= this.max) {
      this.onOverflow();
      this.fail(resourceExhausted(`events subscriber fell more than ${this.max} events behind; resubscribe and call State to resync`));
      return;
    }
    this.queue.push(delivered ? { event, delivered } : { event });
  }

  /** The next event; undefined when the stream ended cleanly; rejects when it was ended for falling behind. */
  next(): Promise<DomainEvent | undefined> {
    const head = this.queue.shift();
    if (head) {
      head.delivered?.();
      return Promise.resolve(head.event);
    }
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiter = (r) => (r.error ? reject(r.error) : resolve(r.event));
    });
  }

  get buffered(): number {
    return this.queue.length;
  }

  /** Stop receiving (the client went away). */
  close(): void {
    this.end();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({});
    }
  }

  private fail(err: LegacydError): void {
    this.queue.length = 0;
    this.error = err;
    this.ended = true;
    this.detach();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ error: err });
    }
  }
}
