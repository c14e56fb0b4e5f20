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

function exporter(containers: ContainerMeta[], io: 'async' | 'sync' = 'async'): Exporter {
  return new Exporter({
    source: source(containers),
    cgroups: new CgroupReader({ io, cgroupRoot: path.join(FIXTURE, 'sys/fs/cgroup'), procRoot: path.join(FIXTURE, 'proc') }),
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

  it("with the daemon's blocking reader (cgroup files parsed from their bytes), the same golden scrapes, at every scrape", async () => {
    const e = exporter([burner, memlimit], 'sync');
    for (let i = 0; i < 2; i++) {
      await expect(masked((await e.metrics()).body)).toMatchFileSnapshot('../../fixtures/exporter/hybrid-scrape.golden.txt');
      await expect(masked((await e.metrics(true)).body)).toMatchFileSnapshot('../../fixtures/exporter/hybrid-scrape.openmetrics.golden.txt');
    }
  });

  it('/metrics sends exactly the exposition bytes, UTF-8 labels included, with the text format content type', async () => {
    const e = exporter([{ ...burner, annotations: { 'org.example.team': 'équipe "ops"\\ ☃' } }], 'sync');
    const server = await e.listen('127.0.0.1', 0);
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
      for (const om of [false, true]) {
        const res = await fetch(url, om ? { headers: { accept: 'application/openmetrics-text; version=1.0.0' } } : {});
        const body = masked(await res.text());
        const direct = await e.metrics(om);
        expect(res.headers.get('content-type')).toBe(direct.contentType);
        expect(body).toBe(masked(direct.body));
        expect(body).toContain('container_label_org_example_team="équipe \\"ops\\"\\\\ ☃"');
      }
    } finally {
      server.close();
    }
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

  it('a container that cannot be read mid-list is left out; those after it still have series and the read stays successful', async () => {
    const ghost: ContainerMeta = { ...burner, id: 'ghost', pid: 999_999 };
    const { body } = await exporter([burner, ghost, memlimit]).metrics();
    expect(body).not.toContain('name="ghost"');
    for (const c of [burner, memlimit]) expect(body).toMatch(new RegExp(`^container_memory_usage_bytes\\{[^}]*name="${c.id}"`, 'm'));
    expect(body).toMatch(/^legacyd_scrape_collector_success\{collector="read"\} 1$/m);
  });

  it('concurrent scrapes each get the whole exposition once (a scrape fills the families container by container)', async () => {
    const e = exporter([burner, memlimit]);
    const alone = masked((await e.metrics()).body);
    const both = await Promise.all([e.metrics(), e.metrics(true), e.metrics()]);
    expect(masked(both[0].body)).toBe(alone);
    expect(masked(both[2].body)).toBe(alone);
    expect(both[1].body.match(/^container_memory_usage_bytes\{/gm)).toHaveLength(2);
  });

  it('serves OpenMetrics when asked', async () => {
    const { contentType, body } = await exporter([burner]).metrics(true);
    expect(contentType).toContain('application/openmetrics-text');
    expect(body.trim().endsWith('# EOF')).toBe(true);
  });

  it('matches the golden OpenMetrics scrape', async () => {
    const { body } = await exporter([burner, memlimit]).metrics(true);
    await expect(masked(body)).toMatchFileSnapshot('../../fixtures/exporter/hybrid-scrape.openmetrics.golden.txt');
  });

  it('OpenMetrics has the Prometheus samples, counter families without _total, no blank line and one # EOF at the end', async () => {
    const e = exporter([burner, memlimit]);
    e.daemon.onCall('/types.API/State', 'OK', 0.002);
    e.daemon.onRuntimeCall('state', 0.01, true);
    const prom = masked((await e.metrics()).body).split('\n');
    const om = masked((await e.metrics(true)).body).split('\n');
    expect(om.at(-1)).toBe('');
    expect(om.at(-2)).toBe('# EOF');
    expect(om.filter((l) => l === '# EOF')).toHaveLength(1);
    expect(om.slice(0, -1)).not.toContain('');
    const counters = new Set(prom.filter((l) => / counter$/.test(l)).map((l) => l.split(' ')[2]!));
    expect(counters.has('container_cpu_usage_seconds_total')).toBe(true);
    // Counters' HELP/TYPE lose _total; every other line is the Prometheus line unchanged.
    const expected = prom
      .filter((l) => l !== '')
      .map((l) => {
        const m = /^# (HELP|TYPE) (\S+)(.*)$/.exec(l);
        return m && counters.has(m[2]!) ? `# ${m[1]} ${m[2]!.replace(/_total$/, '')}${m[3]}` : l;
      });
    expect(om.slice(0, -2)).toEqual(expected);
    expect(om).toContain('# TYPE legacyd_grpc_requests counter');
    expect(om).toContain('legacyd_grpc_requests_total{method="/types.API/State",code="OK"} 1');
    expect(om).toContain('# TYPE legacyd_runtime_call_duration_seconds histogram');
  });

  it('one failing collector is reported unsuccessful; the others and the scrape still answer', async () => {
    const src = source([burner, memlimit]);
    const broken: MetricsSource = {
      info: src.info,
      events: src.events,
      get machine(): MetricsSource['machine'] {
        throw new Error('machine info unavailable');
      },
    };
    const e = new Exporter({
      source: broken,
      cgroups: new CgroupReader({ cgroupRoot: path.join(FIXTURE, 'sys/fs/cgroup'), procRoot: path.join(FIXTURE, 'proc') }),
      processMetrics: false,
    });
    for (const om of [false, true]) {
      const { body } = await e.metrics(om);
      expect(body).toMatch(/^legacyd_scrape_collector_success\{collector="machine"\} 0$/m);
      for (const c of ['read', 'cpu', 'memory', 'blkio', 'network', 'hugetlb', 'processes', 'spec', 'daemon']) {
        expect(body).toMatch(new RegExp(`^legacyd_scrape_collector_success\\{collector="${c}"\\} 1$`, 'm'));
      }
      expect(body).toMatch(/^legacyd_scrape_collector_duration_seconds\{collector="machine"\} [0-9.e+-]+$/m);
      expect(body).toMatch(/^# TYPE machine_cpu_cores gauge$/m);
      expect(body).not.toMatch(/^machine_cpu_cores /m);
      expect(body).toMatch(new RegExp(`^container_memory_usage_bytes\\{[^}]*name="${memlimit.id}"`, 'm'));
      expect(body).toMatch(/^legacyd_containers 2$/m);
    }
    // Over HTTP too: a 200 with the same body.
    const server = await e.listen('127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^legacyd_scrape_collector_success\{collector="machine"\} 0$/m);
    } finally {
      server.close();
    }
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

describe('Node process metrics', () => {
  it('are served with prom-client\'s names; process_open_fds counts this process\'s descriptors', async () => {
    const e = new Exporter({ source: source([burner]), cgroups: new CgroupReader({ cgroupRoot: path.join(FIXTURE, 'sys/fs/cgroup'), procRoot: path.join(FIXTURE, 'proc') }) });
    const { body } = await e.metrics();
    expect(body).toMatch(/^# HELP process_open_fds Number of open file descriptors\.$/m);
    const fds = Number(/^process_open_fds (\d+)$/m.exec(body)?.[1]);
    expect(fds).toBeGreaterThan(2);
    expect(Math.abs(fds - (fs.readdirSync('/proc/self/fd').length - 1))).toBeLessThanOrEqual(2);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(body).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(body).not.toContain('nodejs_active_handles_total');
    const om = (await e.metrics(true)).body;
    expect(om).toMatch(/^# TYPE process_cpu_seconds counter$/m);
    expect(om).toMatch(/^process_open_fds \d+$/m);
    expect(om.endsWith('\n# EOF\n')).toBe(true);
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
