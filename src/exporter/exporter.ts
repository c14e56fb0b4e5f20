import * as http from 'node:http';
import express from 'express';
import { collectDefaultMetrics, Gauge, Registry, openMetricsContentType } from 'prom-client';
import type { CgroupReader } from '../cgroups';
import type { Collector, CollectorContext } from './collector';
import { blkioCollector } from './collectors/blkio';
import { cpuCollector } from './collectors/cpu';
import { DaemonMetrics } from './collectors/daemon';
import { hugetlbCollector } from './collectors/hugetlb';
import { machineCollector } from './collectors/machine';
import { memoryCollector } from './collectors/memory';
import { networkCollector } from './collectors/network';
import { processesCollector } from './collectors/processes';
import { specCollector } from './collectors/spec';
import { CollectorTally } from './collector-tally';
import { Exposition, Families } from './family';
import { LabelCache } from './labels';
import { openFds } from './open-fds';
import { SnapshotReader, type ContainerMeta, type MetricsSource, type Snapshot } from './source';

export interface ExporterOptions {
  source: MetricsSource;
  cgroups: CgroupReader;
  labelAllowlist?: string[];
  /** For /healthz and legacyd_checkpoint_available. */
  health?: () => Record<string, unknown>;
  criuOk?: () => boolean;
  /** Node process metrics (off in golden tests, whose values would vary). */
  processMetrics?: boolean;
  now?: () => number;
}

/**
 * The /metrics exporter: container values are read from the cgroups module when Prometheus
 * scrapes, with no polling loop, and rendered as text by our families (family.ts); prom-client,
 * with its own Registry (never the global one), keeps the daemon's Counter/Histograms and Node's
 * process metrics. Each collector reports its own duration and success (summed over the
 * containers), and one failing never breaks the scrape.
 */
export class Exporter {
  readonly registry = new Registry();
  private readonly exposition = new Exposition(this.registry);
  private readonly labels: LabelCache;
  readonly daemon: DaemonMetrics;
  private readonly collectors: Collector[];
  private readonly reader: SnapshotReader;
  private readonly scrapeDuration;
  private readonly scrapeSuccess;
  private readonly meta: Families;
  private readonly machine;
  /** The scrape in progress (settled), after which the next one starts. */
  private scrapes: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ExporterOptions) {
    const labels = new LabelCache(opts.labelAllowlist ?? []);
    this.labels = labels;
    const ctx: CollectorContext = { exposition: this.exposition, labels: (s: Snapshot) => labels.get(s.meta) };
    this.reader = new SnapshotReader(opts.cgroups);
    this.collectors = [
      cpuCollector(ctx),
      memoryCollector(ctx),
      blkioCollector(ctx),
      networkCollector(ctx),
      hugetlbCollector(ctx),
      processesCollector(ctx),
      specCollector(ctx, opts.now),
    ];
    this.machine = machineCollector(this.exposition, opts.source);
    this.daemon = new DaemonMetrics(this.exposition, opts.source, opts.criuOk ?? (() => false));
    this.meta = new Families(this.exposition);
    this.scrapeDuration = this.meta.gauge('legacyd_scrape_collector_duration_seconds', 'Duration of a collector scrape.');
    this.scrapeSuccess = this.meta.gauge('legacyd_scrape_collector_success', 'Whether a collector succeeded.');
    if (opts.processMetrics !== false) {
      // The event-loop-delay histogram samples once a second, not every 10 ms (prom-client's
      // default): its 100 wake-ups a second were most of an idle daemon's CPU (0.6 % of a core).
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 1000 });
      // Gauges misnamed with _total (promtool flags them); nodejs_active_{handles,requests,resources}{type} carry the same.
      for (const m of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(m);
      // Same name and help as prom-client's, counted without listing /proc/self/fd (open-fds.ts).
      if (this.registry.getSingleMetric('process_open_fds')) {
        this.registry.removeSingleMetric('process_open_fds');
        new Gauge({
          name: 'process_open_fds',
          help: 'Number of open file descriptors.',
          registers: [this.registry],
          collect() {
            const n = openFds();
            if (n !== undefined) this.set(n);
          },
        });
      }
    }
  }

  /** Exposition text, Prometheus or OpenMetrics. */
  async metrics(openMetrics = false): Promise<{ contentType: string; body: string }> {
    const { contentType, body } = await this.scrape(openMetrics);
    return { contentType, body: body.toString('utf8') };
  }

  /** The exposition as UTF-8 bytes (what /metrics sends: the text is never built as one string). */
  scrape(openMetrics = false): Promise<{ contentType: string; body: Buffer }> {
    // One scrape at a time: a scrape fills the shared families container by container.
    const scrape = this.scrapes.then(async () => {
      await this.collect();
      return { contentType: openMetrics ? openMetricsContentType : this.registry.contentType, body: await this.exposition.render(openMetrics) };
    });
    this.scrapes = scrape.catch(() => undefined);
    return scrape;
  }

  /**
   * Streams the containers: each snapshot goes through every collector and is dropped before the
   * next is read, so a scrape's live set is one container's stats, not all of them (those lived
   * through several scavenges and were promoted to old space).
   */
  private async collect(): Promise<void> {
    this.meta.begin();
    this.labels.begin();
    const tally = new CollectorTally(['read', ...this.collectors.map((c) => c.name), this.machine.name, this.daemon.name]);
    let containers: readonly ContainerMeta[] = [];
    try {
      containers = this.opts.source.info();
      this.reader.begin(containers);
    } catch {
      tally.fail('read');
    }
    tally.charge('read');
    for (const c of this.collectors) this.run(tally, c.name, () => c.begin());
    for (const meta of containers) {
      const s = await this.reader.read(meta);
      tally.charge('read');
      if (!s) continue;
      // A group the kernel could not read for some container marks that collector unsuccessful.
      for (const e of s.stats.errors) tally.fail(e.group);
      for (const c of this.collectors) this.run(tally, c.name, () => c.add(s));
    }
    this.run(tally, this.machine.name, () => this.machine.update());
    this.run(tally, this.daemon.name, () => this.daemon.update());
    tally.report(this.scrapeDuration, this.scrapeSuccess);
    this.labels.sweep();
  }

  /** One collector's turn: a throw marks it unsuccessful and never breaks the scrape. */
  private run(tally: CollectorTally, name: string, turn: () => void): void {
    try {
      turn();
    } catch {
      tally.fail(name);
    }
    tally.charge(name);
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    // An ETag of /metrics would hash the whole body (~650 KB at 200 containers) for nothing.
    app.set('etag', false);
    app.get('/metrics', async (req, res) => {
      try {
        const om = (req.get('accept') ?? '').includes('application/openmetrics-text');
        const { contentType, body } = await this.scrape(om);
        res.set('Content-Type', contentType).send(body);
      } catch (e) {
        res.status(500).type('text/plain').send(`legacyd: metrics failed: ${(e as Error).message}\n`);
      }
    });
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', ...(this.opts.health?.() ?? {}) });
    });
    app.use((_req, res) => {
      res.status(404).type('text/plain').send('legacyd: try /metrics or /healthz\n');
    });
    return app;
  }

  /** Serves /metrics on host:port; resolves with the bound server. */
  listen(host: string, port: number): Promise<http.Server> {
    return new Promise((resolve, reject) => {
      const server = http.createServer(this.app());
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}
