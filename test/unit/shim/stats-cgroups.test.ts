import { describe, expect, it } from 'vitest';
import type { Cgroup } from '../../../src/cgroups';
import { StreamedCgroups } from '../../../src/shim/handlers/stats-cgroups';

/** A reader that resolves a distinct fake cgroup per lookup (or fails for the pids in `failing`). */
function fakeReader(failing = new Set<number>()) {
  const lookups: number[] = [];
  const released: string[] = [];
  return {
    lookups,
    released,
    reader: {
      forPid: async (pid: number): Promise<Cgroup> => {
        lookups.push(pid);
        if (failing.has(pid)) throw new Error(`process ${pid} not found`);
        return { path: `/c/${pid}#${lookups.length}` } as Cgroup;
      },
      release: (cg: Cgroup): void => void released.push(cg.path),
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('StreamedCgroups: the cgroups GetStats streams hold', () => {
  it('concurrent streams of a container share one lookup; the last one to end lets go of its files', async () => {
    const f = fakeReader();
    const s = new StreamedCgroups(f.reader);

    const [a, b] = await Promise.all([s.acquire('web', 10), s.acquire('web', 10)]);
    expect(a).toBe(b);
    expect(f.lookups).toEqual([10]);

    s.release('web', 10);
    await settle();
    expect(f.released).toEqual([]);
    s.release('web', 10);
    await settle();
    expect(f.released).toEqual(['/c/10#1']);
    expect(s.size).toBe(0);

    // A later stream looks it up again.
    await s.acquire('web', 10);
    expect(f.lookups).toEqual([10, 10]);
  });

  it('a failed lookup is not kept: the stream needs no release, and the next one looks again', async () => {
    const f = fakeReader(new Set([7]));
    const s = new StreamedCgroups(f.reader);

    await expect(s.acquire('gone', 7)).rejects.toThrow('process 7 not found');
    expect(s.size).toBe(0);
    await expect(s.acquire('gone', 7)).rejects.toThrow();
    expect(f.lookups).toEqual([7, 7]);
    await settle();
    expect(f.released).toEqual([]);
  });

  it('a new init under a reused id is its own entry: ending the old stream releases only the old cgroup', async () => {
    const f = fakeReader();
    const s = new StreamedCgroups(f.reader);
    await s.acquire('db', 20);
    await s.acquire('db', 30);
    expect(s.size).toBe(2);

    s.release('db', 20);
    s.release('db', 99); // never acquired: nothing happens
    await settle();

    expect(f.released).toEqual(['/c/20#1']);
    expect(s.size).toBe(1);
  });
});
