import type { Metric, Registry } from 'prom-client';
import { ByteSink } from './byte-sink';
import { renderOpenMetricsFamily } from './openmetrics';
import { escapeHelp, openMetricsNames } from './text-format';

/**
 * A metric family whose samples are replaced wholesale at each scrape and rendered here as text:
 * prom-client's exposition builds and formats a label object per sample, which dominated the
 * scrape at hundreds of containers. Each sample is written as a text line into the family's byte
 * sink when added (byte-sink.ts says why not kept as strings), the label text coming from the
 * per-container cache (labels.ts).
 */
export class Family {
  private readonly samples = new ByteSink();
  /** Lines not yet in `samples`: written a few KB at a time (one write per sample cost ~3 ms a scrape in calls). */
  private pending = '';
  /** `# HELP` / `# TYPE` lines, computed once per format. */
  private readonly promHeader: Buffer;
  private readonly omHeader: Buffer;
  /** Sample names: OpenMetrics counters are `<family>_total` whatever the registered name. */
  private readonly omSample: string;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {
    const h = escapeHelp(help);
    this.promHeader = Buffer.from(`# HELP ${name} ${h}\n# TYPE ${name} ${type}`);
    const om = openMetricsNames(name, type);
    this.omHeader = Buffer.from(`# HELP ${om.family} ${h}\n# TYPE ${om.family} ${type}`);
    this.omSample = om.sample;
  }

  clear(): void {
    this.pending = '';
    this.samples.reset();
  }

  /** `labels`: label pairs already escaped, without braces (`''` for none). Non-finite values are left out. */
  add(labels: string, value: number): void {
    if (!Number.isFinite(value)) return;
    this.pending += labels === '' ? `${this.name} ${value}\n` : `${this.name}{${labels}} ${value}\n`;
    if (this.pending.length > PENDING_MAX) this.flush();
  }

  private flush(): void {
    if (this.pending === '') return;
    this.samples.write(this.pending);
    this.pending = '';
  }

  /** This family's text as chunks, without a trailing newline (the way prom-client renders one metric). */
  chunks(openMetrics: boolean): Buffer[] {
    this.flush();
    const header = openMetrics ? this.omHeader : this.promHeader;
    if (this.samples.length === 0) return [header];
    // Lines were written under the Prometheus name; an OpenMetrics counter not named *_total is renamed here.
    if (openMetrics && this.omSample !== this.name) {
      const lines = this.samples.view(0, this.samples.length - 1).toString('utf8').split('\n');
      return [header, NL, Buffer.from(lines.map((l) => this.omSample + l.slice(this.name.length)).join('\n'))];
    }
    return [header, NL, this.samples.view(0, this.samples.length - 1)];
  }
}

/** Characters of pending lines a family holds before writing them: small, so a scrape's text never piles up on the heap. */
const PENDING_MAX = 4096;

const NL = Buffer.from('\n');
const BLANK_LINE = Buffer.from('\n\n');
const EOF_LINE = Buffer.from('\n# EOF\n');

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

  /**
   * Prometheus text (families separated by a blank line) or OpenMetrics (ending in `# EOF`), as
   * one new Buffer: the families' sinks are reused by the next scrape while this one may still be
   * in the socket's queue.
   */
  async render(openMetrics: boolean): Promise<Buffer> {
    const rest = this.registry.getMetricsAsArray().filter((m) => !this.placed.has(m.name)) as unknown as Metric[];
    const out: Buffer[] = [];
    for (const part of [...this.parts, ...rest]) {
      let chunks: Buffer[];
      if (part instanceof Family) chunks = part.chunks(openMetrics);
      else {
        const name = (part as unknown as { name: string }).name;
        if (this.registry.getSingleMetric(name) !== part) continue; // removed from the registry since
        chunks = [Buffer.from(openMetrics ? renderOpenMetricsFamily(await part.get()) : await this.registry.getSingleMetricAsString(name))];
      }
      if (out.length > 0) out.push(openMetrics ? NL : BLANK_LINE);
      for (const c of chunks) out.push(c);
    }
    out.push(openMetrics ? EOF_LINE : NL);
    return Buffer.concat(out);
  }
}
