/** The unary calls being handled, so a shutdown can let them finish before the supervisor stops. */
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

  /** Resolves once no call is in flight (calls that start meanwhile included), or after `boundMs`. */
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
