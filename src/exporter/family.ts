import type { Metric, Registry } from 'prom-client';
import { renderOpenMetricsFamily } from './openmetrics';
import { escapeHelp, openMetricsNames } from './text-format';

/**
 * A metric family whose samples are replaced wholesale at each scrape and rendered here as text:
 * prom-client's exposition builds and formats a label object per sample, which dominated the
 * scrape at hundreds of containers. Samples are kept as ready line tails (`{labels} value`), the
 * label text coming from the per-container cache (labels.ts), so a scrape only concatenates.
 */
export class Family {
  private tails: string[] = [];
  /** `# HELP` / `# TYPE` lines, computed once per format. */
  private readonly promHeader: string;
  private readonly omHeader: string;
  /** Sample names: OpenMetrics counters are `<family>_total` whatever the registered name. */
  private readonly omSample: string;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {
    const h = escapeHelp(help);
    this.promHeader = `# HELP ${name} ${h}\n# TYPE ${name} ${type}`;
    const om = openMetricsNames(name, type);
    this.omHeader = `# HELP ${om.family} ${h}\n# TYPE ${om.family} ${type}`;
    this.omSample = om.sample;
  }

  clear(): void {
    this.tails = [];
  }

  /** `labels`: label pairs already escaped, without braces (`''` for none). Non-finite values are left out. */
  add(labels: string, value: number): void {
    if (Number.isFinite(value)) this.tails.push(labels === '' ? ` ${value}` : `{${labels}} ${value}`);
  }

  /** This family's text, without a trailing newline (the way prom-client renders one metric). */
  render(openMetrics: boolean): string {
    const header = openMetrics ? this.omHeader : this.promHeader;
    if (this.tails.length === 0) return header;
    const sample = openMetrics ? this.omSample : this.name;
    return `${header}\n${sample}${this.tails.join(`\n${sample}`)}`;
  }
}

/** A set of families a collector fills; `begin()` clears them at the start of a scrape. */
export class Families {
  private readonly all: Family[] = [];
  constructor(private readonly exposition: Exposition) {}

  counter(name: string, help: string): Family {
    return this.push(new Family(name, help, 'counter'));
  }
  gauge(name: string, help: string): Family {
    return this.push(new Family(name, help, 'gauge'));
  }
  begin(): void {
    for (const f of this.all) f.clear();
  }
  private push(f: Family): Family {
    this.exposition.add(f);
    this.all.push(f);
    return f;
  }
}

/**
 * The order of the exposition: our families and prom-client metrics (the daemon's Counter and
 * Histograms) as they were added; whatever else the registry holds (Node's process metrics)
 * follows. prom-client renders its own metrics one by one, with its own code, from its own
 * Registry (never the global one).
 */
export class Exposition {
  private readonly parts: (Family | Metric)[] = [];
  private readonly placed = new Set<string>();

  constructor(readonly registry: Registry) {}

  add(part: Family | Metric): void {
    if (!(part instanceof Family)) this.placed.add((part as unknown as { name: string }).name);
    this.parts.push(part);
  }

  /** Prometheus text (families separated by a blank line) or OpenMetrics (ending in `# EOF`). */
  async render(openMetrics: boolean): Promise<string> {
    const rest = this.registry.getMetricsAsArray().filter((m) => !this.placed.has(m.name)) as unknown as Metric[];
    const out: string[] = [];
    for (const part of [...this.parts, ...rest]) {
      if (part instanceof Family) {
        out.push(part.render(openMetrics));
        continue;
      }
      const name = (part as unknown as { name: string }).name;
      if (this.registry.getSingleMetric(name) !== part) continue; // removed from the registry since
      out.push(openMetrics ? renderOpenMetricsFamily(await part.get()) : await this.registry.getSingleMetricAsString(name));
    }
    return openMetrics ? `${out.join('\n')}\n# EOF\n` : `${out.join('\n\n')}\n`;
  }
}
