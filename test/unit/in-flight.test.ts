import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/in-flight';

const later = <T>(ms: number, v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), ms));

describe('InFlight: the unary calls a shutdown waits for', () => {
  it('counts a call until it settles, fulfilled or rejected', async () => {
    const f = new InFlight();
    const ok = f.track(later(20, 'x'));
    const bad = f.track(later(10, 0).then(() => Promise.reject(new Error('no'))));
    expect(f.size).toBe(2);
    await expect(bad).rejects.toThrow('no');
    await ok;
    await Promise.resolve();
    expect(f.size).toBe(0);
  });

  it('idle() waits for calls in flight, and for one that started while it waited', async () => {
    const f = new InFlight();
    const order: string[] = [];
    void f.track(later(20, 0).then(() => void order.push('first')));
    setTimeout(() => void f.track(later(30, 0).then(() => void order.push('second'))), 10);
    await f.idle(5_000);
    order.push('idle');
    expect(order).toEqual(['first', 'second', 'idle']);
  });

  it('idle() gives up at its bound with a call still running', async () => {
    const f = new InFlight();
    void f.track(new Promise(() => undefined));
    await f.idle(30);
    expect(f.size).toBe(1);
  });
});
