import type { Family } from './family';

/**
 * Each collector's duration and success over one scrape. A streamed scrape runs every collector
 * once per container, so a collector's time is the sum of its turns, and one failure (for any
 * container) marks it unsuccessful for the scrape.
 */
export class CollectorTally {
  private readonly seconds = new Map<string, number>();
  private readonly failed = new Set<string>();
  private mark = performance.now();

  /** `names`: the collectors, in the order their samples are reported. */
  constructor(names: readonly string[]) {
    for (const name of names) this.seconds.set(name, 0);
  }

  /** Charges the time since the previous charge (or the start) to `name`. */
  charge(name: string): void {
    const t = performance.now();
    this.seconds.set(name, (this.seconds.get(name) ?? 0) + (t - this.mark) / 1000);
    this.mark = t;
  }

  fail(name: string): void {
    this.failed.add(name);
  }

  /** One duration and one success sample per collector given at construction. */
  report(duration: Family, success: Family): void {
    for (const [name, seconds] of this.seconds) {
      duration.add(`collector="${name}"`, seconds);
      success.add(`collector="${name}"`, this.failed.has(name) ? 0 : 1);
    }
  }
}
