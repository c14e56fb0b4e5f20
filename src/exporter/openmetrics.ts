import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { escapeHelp, escapeLabelValue, openMetricsNames } from './text-format';

/**
 * OpenMetrics text of one prom-client metric (the daemon's Counter/Histograms, Node's process
 * metrics), from its JSON view; the exposition adds `# EOF` once at the end. prom-client's own
 * OpenMetrics path renames counters in place (`metric.name` loses `_total` for good), which then
 * corrupts every later Prometheus-format scrape of the same registry; rendering here keeps the
 * registry untouched.
 */
export function renderOpenMetricsFamily(m: MetricObjectWithValues<MetricValue<string>>): string {
  const { family, sample: plain } = openMetricsNames(m.name, String(m.type));
  const out = [`# HELP ${family} ${escapeHelp(m.help)}`, `# TYPE ${family} ${m.type}`];
  for (const v of m.values) {
    const sample = (v as { metricName?: string }).metricName ?? plain;
    out.push(`${sample}${labels(v.labels as Record<string, string | number>)} ${value(v.value)}`);
  }
  return out.join('\n');
}

function labels(l: Record<string, string | number | undefined>): string {
  const parts = Object.entries(l)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${escapeLabelValue(String(v))}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function value(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
