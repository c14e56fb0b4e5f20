import * as http from 'node:http';
import express from 'express';
import { collectDefaultMetrics, Registry, openMetricsContentType } from 'prom-client';
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
import { Families } from './family';
import { renderOpenMetrics } from './openmetrics';
import { containerLabels, labelNames } from './labels';
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
 * The /metrics exporter: its own Registry (never prom-client's global one); container values
 * are read from the cgroups module when Prometheus scrapes, with no polling loop; each
 * collector reports its own duration and success, and one failing never breaks the scrape.
 */
export class Exporter {
  readonly registry = new Registry();
  readonly daemon: DaemonMetrics;
  private readonly collectors: Collector[];
  private readonly reader: SnapshotReader;
  private readonly scrapeDuration;
  private readonly scrapeSuccess;
  private readonly meta: Families;
  private readonly machine;

  constructor(private readonly opts: ExporterOptions) {
    const allow = opts.labelAllowlist ?? [];
    const ctx: CollectorContext = {
      registry: this.registry,
      labelNames: labelNames(allow),
      labels: (s: Snapshot) => containerLabels(s.meta, allow),
    };
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
    this.machine = machineCollector(this.registry, opts.source);
    this.daemon = new DaemonMetrics(this.registry, opts.source, opts.criuOk ?? (() => false));
    this.meta = new Families(this.registry);
    this.scrapeDuration = this.meta.gauge('legacyd_scrape_collector_duration_seconds', 'Duration of a collector scrape.');
    this.scrapeSuccess = this.meta.gauge('legacyd_scrape_collector_success', 'Whether a collector succeeded.');
    if (opts.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges misnamed with _total (promtool flags them); nodejs_active_{handles,requests,resources}{type} carry the same.
      for (const m of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(m);
    }
  }

  /** Reads every container once and lets each collector fill its families. */
  async collect(): Promise<void> {
    this.meta.begin();
    const t0 = process.hrtime.bigint();
    let snapshots: Snapshot[] = [];
    let readOk = true;
    try {
      snapshots = (await this.reader.read(this.opts.source.info())).snapshots;
    } catch {
      readOk = false;
    }
    this.report('read', t0, readOk);
    for (const c of [...this.collectors, this.machine, this.daemon]) {
      const t = process.hrtime.bigint();
      let ok = true;
      try {
        c.update(snapshots);
      } catch {
        ok = false;
      }
      // A group the kernel could not read for some container marks that collector unsuccessful.
      if (snapshots.some((s) => s.stats.errors.some((e) => e.group === c.name))) ok = false;
      this.report(c.name, t, ok);
    }
  }

  private report(name: string, since: bigint, ok: boolean): void {
    this.scrapeDuration.add({ collector: name }, Number(process.hrtime.bigint() - since) / 1e9);
    this.scrapeSuccess.add({ collector: name }, ok ? 1 : 0);
  }

  /** Exposition text, Prometheus or OpenMetrics. */
  async metrics(openMetrics = false): Promise<{ contentType: string; body: string }> {
    await this.collect();
    if (openMetrics) return { contentType: openMetricsContentType, body: renderOpenMetrics(await this.registry.getMetricsAsJSON()) };
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
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
