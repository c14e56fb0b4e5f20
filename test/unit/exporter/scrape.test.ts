import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CgroupReader } from '../../../src/cgroups';
import { Exporter } from '../../../src/exporter';
import type { ContainerMeta, MetricsSource } from '../../../src/exporter';

const FIXTURE = path.resolve(__dirname, '../../fixtures/cgroups/hybrid-runc');
const env = Object.fromEntries(
  fs.readFileSync(path.join(FIXTURE, 'containers.env'), 'utf8').trim().split('\n').map((l) => l.split('=') as [string, string]),
);

function source(containers: ContainerMeta[]): MetricsSource {
  return {
    info: () => containers,
    machine: { cpus: 2, memoryBytes: 25_276_063_744 },
    events: { published: 7, overflowed: 0, subscriberCount: 1 },
  };
}

const burner: ContainerMeta = {
  id: env.burner_ID!,
  pid: Number(env.burner_PID),
  image: '/bundles/burner/rootfs',
  annotations: { 'org.example.team': 'infra', secret: 'never' },
  cgroupsPath: `/${env.burner_ID}`,
  createdAt: '2026-11-22T09:00:00.000Z',
};
const memlimit: ContainerMeta = { ...burner, id: env.memlimit_ID!, pid: Number(env.memlimit_PID), image: '/bundles/mem/rootfs', annotations: {}, cgroupsPath: `/${env.memlimit_ID}` };

function exporter(containers: ContainerMeta[]): Exporter {
  return new Exporter({
    source: source(containers),
    cgroups: new CgroupReader({ cgroupRoot: path.join(FIXTURE, 'sys/fs/cgroup'), procRoot: path.join(FIXTURE, 'proc') }),
    labelAllowlist: ['org.example.team'],
    criuOk: () => true,
    processMetrics: false,
    now: () => Date.parse('2026-11-22T10:00:00Z'),
  });
}

/** Durations vary from run to run; everything else in a fixture scrape is fixed. */
function masked(text: string): string {
  return text.replace(/^(legacyd_scrape_collector_duration_seconds\{[^}]*\}) .*$/gm, '$1 <duration>');
}

describe('the /metrics exposition from fixture cgroup trees', () => {
  it('matches the golden scrape (cAdvisor names, labels, values from the captured hybrid tree)', async () => {
    const { body } = await exporter([burner, memlimit]).metrics();
    await expect(masked(body)).toMatchFileSnapshot('../../fixtures/exporter/hybrid-scrape.golden.txt');
  });

  it('labels every container series with id, name and a non-empty image; allow-listed annotations only', async () => {
    const { body } = await exporter([burner]).metrics();
    const line = body.split('\n').find((l) => l.startsWith('container_memory_usage_bytes{'))!;
    expect(line).toContain(`name="${burner.id}"`);
    expect(line).toContain('image="/bundles/burner/rootfs"');
    expect(line).toContain(`id="/${burner.id}"`);
    expect(line).toContain('container_label_org_example_team="infra"');
    expect(body).not.toContain('container_label_secret');
    expect(body).not.toContain('"never"');
    expect(body).toMatch(/^container_cpu_usage_seconds_total\{[^}]*cpu="total"[^}]*\} [0-9.e+]+$/m);
    expect(body).toMatch(/^legacyd_scrape_collector_success\{collector="cpu"\} 1$/m);
    expect(body).toMatch(/^machine_memory_bytes 25276063744$/m);
  });

  it('a gone container has no series at the next scrape', async () => {
    const containers = [burner, memlimit];
    const e = new Exporter({
      source: source(containers),
      cgroups: new CgroupReader({ cgroupRoot: path.join(FIXTURE, 'sys/fs/cgroup'), procRoot: path.join(FIXTURE, 'proc') }),
      processMetrics: false,
    });
    expect((await e.metrics()).body).toContain(memlimit.id);
    containers.pop();
    const after = (await e.metrics()).body;
    expect(after).not.toContain(memlimit.id);
    expect(after).toContain(burner.id);
  });

  it('a container whose cgroup cannot be read is left out; the scrape still answers', async () => {
    const ghost: ContainerMeta = { ...burner, id: 'ghost', pid: 999_999 };
    const { body } = await exporter([burner, ghost]).metrics();
    expect(body).not.toContain('name="ghost"');
    expect(body).toContain(burner.id);
  });

  it('serves OpenMetrics when asked', async () => {
    const { contentType, body } = await exporter([burner]).metrics(true);
    expect(contentType).toContain('application/openmetrics-text');
    expect(body.trim().endsWith('# EOF')).toBe(true);
  });

  it('promtool check metrics finds nothing to complain about', async () => {
    const promtool = spawnSync('which', ['promtool']).status === 0;
    if (!promtool && process.env.CI) throw new Error('promtool missing (apt-get install prometheus)');
    if (!promtool) return;
    const { body } = await exporter([burner, memlimit]).metrics();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    execFileSync('true');
  });
});

describe('OpenMetrics and Prometheus formats from one registry', () => {
  it('an OpenMetrics scrape does not change the next Prometheus-format scrape (prom-client renames counters in place)', async () => {
    const e = exporter([burner]);
    const before = (await e.metrics()).body;
    const om = (await e.metrics(true)).body;
    expect(om).toMatch(/^# TYPE container_cpu_usage_seconds counter$/m);
    expect(om).toMatch(/^container_cpu_usage_seconds_total\{/m);
    expect(om).toMatch(/^legacyd_grpc_request_duration_seconds_bucket|^# TYPE legacyd_grpc_request_duration_seconds histogram$/m);
    const after = (await e.metrics()).body;
    expect(after.replace(/ \d+(\.\d+)?(e[-+]\d+)?$/gm, '')).toBe(before.replace(/ \d+(\.\d+)?(e[-+]\d+)?$/gm, ''));
  });
});
