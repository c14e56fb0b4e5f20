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
import { Exposition, Families } from './family';
import { LabelCache } from './labels';
import { openFds } from './open-fds';
import { SnapshotReader, type MetricsSource, type Snapshot } from './source';

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
 * process metrics. Each collector reports its own duration and success, and one failing never
 * breaks the scrape.
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

  /** Reads every container once and lets each collector fill its families. */
  async collect(): Promise<void> {
    this.meta.begin();
    this.labels.begin();
    const t0 = process.hrtime.bigint();
    let snapshots: Snapshot[] = [];
    let readOk = true;
    try {
      snapshots = (await this.reader.read(this.opts.source.info())).snapshots;
    } catch {
      readOk = false;
    }
    this.report('read', t0, readOk);
    // A group the kernel could not read for some container marks that collector unsuccessful.
    const failed = new Set<string>();
    for (const s of snapshots) for (const e of s.stats.errors) failed.add(e.group);
    for (const c of [...this.collectors, this.machine, this.daemon]) {
      const t = process.hrtime.bigint();
      let ok = true;
      try {
        c.update(snapshots);
      } catch {
        ok = false;
      }
      if (failed.has(c.name)) ok = false;
      this.report(c.name, t, ok);
    }
    this.labels.sweep();
  }

  private report(name: string, since: bigint, ok: boolean): void {
    this.scrapeDuration.add(`collector="${name}"`, Number(process.hrtime.bigint() - since) / 1e9);
    this.scrapeSuccess.add(`collector="${name}"`, ok ? 1 : 0);
  }

  /** Exposition text, Prometheus or OpenMetrics. */
  async metrics(openMetrics = false): Promise<{ contentType: string; body: string }> {
    await this.collect();
    return { contentType: openMetrics ? openMetricsContentType : this.registry.contentType, body: await this.exposition.render(openMetrics) };
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    // An ETag of /metrics would hash the whole body (~650 KB at 200 containers) for nothing.
    app.set('etag', false);
    app.get('/metrics', async (req, res) => {
      try {
        const om = (req.get('accept') ?? '').includes('application/openmetrics-text');
        const { contentType, body } = await this.metrics(om);
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
