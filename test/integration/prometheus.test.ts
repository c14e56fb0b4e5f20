import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationPrerequisites, requireOrFail } from '../helpers/ci';
import { connect, type ApiClient } from '../helpers/client';
import { startDaemon, type DaemonHandle } from '../helpers/daemon';
import { makeBundle } from '../helpers/bundle';
import { tempDir } from '../helpers/tmp';
import { eventually } from '../helpers/wait';
import { openPaths } from '../helpers/fds';
import { freePort } from '../helpers/ports';

const has = (bin: string) => spawnSync('which', [bin]).status === 0;
const ready = integrationPrerequisites() && requireOrFail('prometheus and promtool (apt-get install prometheus)', has('prometheus') && has('promtool'));
const DASHBOARD = path.resolve(__dirname, '../../dashboards/legacyd.json');

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!ready)('a real Prometheus scrapes legacyd; the dashboards\' queries answer', () => {
  let daemon: DaemonHandle;
  let api: ApiClient;
  let prom: ChildProcess;
  let metricsUrl: string;
  let promUrl: string;

  async function query(q: string): Promise<Series[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: Series[] } };
    if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
    return body.data.result;
  }

  beforeAll(async () => {
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}`;
    daemon = await startDaemon({ extraArgs: ['--metrics-listen', `127.0.0.1:${metricsPort}`] });
    api = connect(daemon.address);
    await api.createContainer({ id: 'prom-burner', bundlePath: await makeBundle(['sh', '-c', 'while :; do :; done']) });
    await api.createContainer({ id: 'prom-idle', bundlePath: await makeBundle(['sleep', '3600']) });

    const dir = await tempDir('legacyd-prom');
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: legacyd\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`);
    prom = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
    // Enough samples for rate() over 10s windows.
    await eventually(async () => {
      const r = await query('sum(rate(container_cpu_usage_seconds_total{name="prom-burner"}[10s]))');
      expect(r.length).toBe(1);
    }, 60_000, 1000);
  }, 120_000);

  afterAll(async () => {
    prom?.kill('SIGKILL');
    api?.close();
    await daemon?.destroy();
  });

  it('every PromQL expression of dashboards/legacyd.json evaluates; container, daemon panels have data', async () => {
    const dash = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    // Panels that must have data here (no non-loopback interface, blkio counters idle, no OOM and no throttling in this setup).
    const mustHaveData = ['CPU usage (cores)', 'Memory usage', 'Memory working set', 'Processes', 'gRPC requests / s', 'Scrape collector success', 'Containers'];
    for (const p of dash.panels) {
      for (const t of p.targets) {
        const expr = t.expr.replaceAll('$name', '.+').replaceAll('$__rate_interval', '10s');
        const result = await query(expr);
        if (mustHaveData.includes(p.title)) expect(result.length, `${p.title}: ${expr}`).toBeGreaterThan(0);
      }
    }
  });

  it('dashboards 193 and 14282: cpu of the burner by name, memory usage with image!="", network bytes', async () => {
    const cpu = await query('sum(rate(container_cpu_usage_seconds_total{name=~".+",image!=""}[10s])) by (name)');
    const burner = cpu.find((s) => s.metric.name === 'prom-burner');
    expect(Number(burner?.value[1])).toBeGreaterThan(0.05);
    const idle = cpu.find((s) => s.metric.name === 'prom-idle');
    expect(Number(idle?.value[1])).toBeLessThan(Number(burner?.value[1]));

    const mem = await query('container_memory_usage_bytes{image!=""}');
    expect(mem.map((s) => s.metric.name).sort()).toEqual(['prom-burner', 'prom-idle']);
    for (const s of mem) expect(Number(s.value[1])).toBeGreaterThan(0);

    // The containers have only loopback (not exported, as cAdvisor does): the query answers, empty.
    expect(await query('sum(rate(container_network_receive_bytes_total{name=~".+"}[10s])) by (name)')).toEqual([]);
  });

  it('promtool check metrics on a live scrape is clean', async () => {
    const body = await (await fetch(`${metricsUrl}/metrics`)).text();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('/healthz answers, and a killed container\'s series are gone from the next scrape', async () => {
    const health = (await (await fetch(`${metricsUrl}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const state = await api.state();
    const pid = state.containers.find((c) => c.id === 'prom-idle')!.processes[0]!.pid;
    // The daemon keeps the cgroup files of live containers open between scrapes (kept descriptors).
    const heldFor = (id: string): string[] => openPaths(daemon.proc.pid!).filter((p) => p.startsWith('/sys/fs/cgroup/') && p.includes(`/${id}/`));
    expect(heldFor('prom-idle').length).toBeGreaterThan(0);
    await api.signal({ id: 'prom-idle', pid, signal: 9 });
    await eventually(async () => expect((await api.state()).containers.map((c) => c.id)).not.toContain('prom-idle'));
    const body = await (await fetch(`${metricsUrl}/metrics`)).text();
    expect(body).not.toContain('name="prom-idle"');
    expect(body).toContain('name="prom-burner"');
    // ... and lets go of a gone container's: none is held once a scrape has seen it gone.
    await eventually(async () => expect(heldFor('prom-idle')).toEqual([]));
    expect(heldFor('prom-burner').length).toBeGreaterThan(0);
  });

});
