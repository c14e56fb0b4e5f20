/**
 * Work in flight that a shutdown lets finish, bounded: the unary calls the shim is handling, the
 * process ends the supervisor is handling.
 */
export class InFlight {
  private readonly calls = new Set<Promise<unknown>>();

  /** Counts `work` until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.calls.add(work);
    const done = (): void => void this.calls.delete(work);
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.calls.size;
  }

  /** Resolves once nothing is in flight (work that starts meanwhile included), or after `boundMs`. */
  async idle(boundMs: number): Promise<void> {
    const deadline = Date.now() + boundMs;
    while (this.calls.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.calls]), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
  }
}
