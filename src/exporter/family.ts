import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

/**
 * A metric family whose samples are replaced wholesale at each scrape, registered in a
 * prom-client Registry through its metric interface (`get()`). prom-client's Counter cannot
 * be set to a value read from the kernel, and a gone container's series must vanish, so each
 * scrape states the full set of samples.
 */
export class Family {
  private samples: { labels: Labels; value: number }[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  readonly aggregator = 'sum';

  clear(): void {
    this.samples = [];
  }

  add(labels: Labels, value: number): void {
    if (Number.isFinite(value)) this.samples.push({ labels, value });
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: { labels: Labels; value: number }[] } {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples };
  }

  reset(): void {
    this.clear();
  }
}

/** A set of families a collector fills; `begin()` clears them at the start of a scrape. */
export class Families {
  private readonly all: Family[] = [];
  constructor(private readonly registry: Registry) {}

  counter(name: string, help: string): Family {
    return this.push(new Family(name, help, 'counter', this.registry));
  }
  gauge(name: string, help: string): Family {
    return this.push(new Family(name, help, 'gauge', this.registry));
  }
  begin(): void {
    for (const f of this.all) f.clear();
  }
  private push(f: Family): Family {
    this.all.push(f);
    return f;
  }
}
