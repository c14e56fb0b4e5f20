import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/supervisor/event-bus';
import type { DomainEvent } from '../../../src/supervisor/events';

const ev = (id: string, type: DomainEvent['type'] = 'exit'): DomainEvent => ({ type, id });
const bus = (maxBuffered = 100) => new EventBus({ maxBuffered, backlogRetentionMs: 60_000 });

describe('event bus', () => {
  it('every subscriber sees every event published after it subscribed, in order', async () => {
    const b = bus();
    const early = b.subscribe();
    b.publish(ev('a'));
    const late = b.subscribe();
    b.publish(ev('b'));
    b.publish(ev('c'));
    expect([(await early.next())!.id, (await early.next())!.id, (await early.next())!.id]).toEqual(['a', 'b', 'c']);
    expect([(await late.next())!.id, (await late.next())!.id]).toEqual(['b', 'c']);
  });

  it('a waiting subscriber is woken by the next event', async () => {
    const b = bus();
    const s = b.subscribe();
    const next = s.next();
    b.publish(ev('x'));
    expect((await next)!.id).toBe('x');
  });

  it('a subscriber that falls too far behind is ended with RESOURCE_EXHAUSTED, not silently dropped from', async () => {
    const b = bus(3);
    const slow = b.subscribe();
    const fast = b.subscribe();
    for (const id of ['1', '2', '3', '4']) {
      b.publish(ev(id));
      await fast.next();
    }
    await expect(slow.next()).rejects.toMatchObject({ kind: 'resource-exhausted' });
    expect(b.overflowed).toBe(1);
    expect(b.subscriberCount).toBe(1);
  });

  it('close ends streams cleanly after what they already hold', async () => {
    const b = bus();
    const s = b.subscribe();
    b.publish(ev('last'));
    b.close();
    expect((await s.next())!.id).toBe('last');
    expect(await s.next()).toBeUndefined();
    expect(await b.subscribe().next()).toBeUndefined();
  });

  it('recovered events go to the first subscribers first, and report their delivery', async () => {
    const b = bus();
    const delivered: string[] = [];
    b.setBacklog([{ event: ev('down1'), delivered: () => delivered.push('down1') }]);
    const s = b.subscribe();
    b.publish(ev('live'));
    expect((await s.next())!.id).toBe('down1');
    expect(delivered).toEqual(['down1']);
    expect((await s.next())!.id).toBe('live');
    // within the retention window a second subscriber still gets it
    expect((await b.subscribe().next())!.id).toBe('down1');
  });

  it('a closed subscription leaves the bus', () => {
    const b = bus();
    const s = b.subscribe();
    s.close();
    expect(b.subscriberCount).toBe(0);
  });
});
