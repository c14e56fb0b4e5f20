import { Counter, Histogram } from 'prom-client';
import { Families, type Exposition } from '../family';
import type { MetricsSource } from '../source';

/** The daemon's own health: gRPC calls, runc calls, the event bus, containers, CRIU. */
export class DaemonMetrics {
  private readonly requests: Counter<'method' | 'code'>;
  private readonly latency: Histogram<'method'>;
  private readonly runtime: Histogram<'verb' | 'ok'>;
  private readonly f: Families;
  private readonly published;
  private readonly dropped;
  private readonly subscribers;
  private readonly containers;
  private readonly criu;
  readonly name = 'daemon';

  constructor(exposition: Exposition, private readonly source: MetricsSource, private readonly criuOk: () => boolean) {
    this.requests = new Counter({ name: 'legacyd_grpc_requests_total', help: 'gRPC requests by method and status code.', labelNames: ['method', 'code'], registers: [exposition.registry] });
    this.latency = new Histogram({ name: 'legacyd_grpc_request_duration_seconds', help: 'gRPC request latency by method.', labelNames: ['method'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [exposition.registry] });
    this.runtime = new Histogram({ name: 'legacyd_runtime_call_duration_seconds', help: 'runc call latency by verb.', labelNames: ['verb', 'ok'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [exposition.registry] });
    // prom-client keeps these (it observes and buckets them); they are rendered in this place.
    for (const m of [this.requests, this.latency, this.runtime]) exposition.add(m);
    this.f = new Families(exposition);
    this.published = this.f.counter('legacyd_events_published_total', 'Events published on the bus.');
    this.dropped = this.f.counter('legacyd_events_dropped_subscribers_total', 'Subscribers ended with RESOURCE_EXHAUSTED for falling behind (events are never dropped silently).');
    this.subscribers = this.f.gauge('legacyd_event_subscribers', 'Open Events streams.');
    this.containers = this.f.gauge('legacyd_containers', 'Containers in the daemon table.');
    this.criu = this.f.gauge('legacyd_checkpoint_available', '1 when a working CRIU was found at start.');
  }

  onCall(method: string, code: string, seconds: number): void {
    this.requests.inc({ method, code });
    this.latency.observe({ method }, seconds);
  }

  onRuntimeCall(verb: string, seconds: number, ok: boolean): void {
    this.runtime.observe({ verb, ok: String(ok) }, seconds);
  }

  update(): void {
    this.f.begin();
    this.published.add('', this.source.events.published);
    this.dropped.add('', this.source.events.overflowed);
    this.subscribers.add('', this.source.events.subscriberCount);
    this.containers.add('', this.source.info().length);
    this.criu.add('', this.criuOk() ? 1 : 0);
  }
}
