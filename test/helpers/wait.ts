import { procStatFields } from '../../src/supervisor/monitor';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retry `check` until it stops throwing, bounded by `timeoutMs`; rethrows its last error.
 * For effects that legitimately follow a reply or an event (runc deleting a container after
 * its init exited), never to measure how fast something is.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await sleep(everyMs);
  }
}

/** A zombie still has /proc/<pid>, so look at its state letter too. */
export function pidAlive(pid: number): boolean {
  const state = procStatFields('/proc', pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Wait until the pid is gone (or a zombie), bounded. */
export async function waitPidGone(pid: number, timeoutMs = 10_000): Promise<void> {
  await eventually(() => {
    if (pidAlive(pid)) throw new Error(`pid ${pid} is still alive after ${timeoutMs} ms`);
  }, timeoutMs);
}

/** Reject with `what` if `p` has not settled within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
