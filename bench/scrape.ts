/**
 * bench/scrape: /metrics with N real containers: scrape time and daemon CPU per scrape, against
 * the raw floor (the same cgroup files read by a minimal blocking loop) in the same run; and
 * idle daemon CPU and RSS with nobody scraping, before the first scrape and after the scrapes. Each scrape is split with the daemon's own
 * legacyd_scrape_collector_duration_seconds: the cgroup read, the collectors, and the rest
 * (exposition text, express, HTTP). Then the way Prometheus scrapes: one scrape every --every s
 * (default 15) for --periodic scrapes (default 8), with the daemon's CPU and RSS between scrapes.
 *   node dist/bench/scrape.js [--n 200] [--scrapes 10] [--periodic 8] [--every 15] [--node-options '--max-semi-space-size=4']
 * --node-options sets NODE_OPTIONS for the daemon only (to try V8 flags); it is recorded in the result.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CgroupReader } from '../src/cgroups';
import { loadApi } from '../src/proto/load';
import type { APIClient } from '../src/proto/generated/types/API';
import { arg, cleanupRunc, makeBundle, now, pool, printTable, processCpuMs, startDaemon, strArg, summarize, writeResult } from './lib';

const cpuSeconds = (pid: number): number => processCpuMs(pid) / 1000;
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
/** The daemon's own timing of one scrape: the cgroup read and the sum of the collectors, in ms. */
function phases(body: string): { read: number; collectors: number } {
  let read = NaN;
  let collectors = 0;
  for (const m of body.matchAll(/^legacyd_scrape_collector_duration_seconds\{collector="([^"]+)"\} (\S+)$/gm)) {
    if (m[1] === 'read') read = Number(m[2]) * 1000;
    else collectors += Number(m[2]) * 1000;
  }
  return { read, collectors };
}
/** The daemon's CPU (% of one core) over 10 s with nobody calling or scraping, and its RSS then. */
async function idle(pid: number): Promise<{ cpuPct: number; rssMb: number }> {
  const cpu0 = cpuSeconds(pid);
  const t0 = now();
  await new Promise((r) => setTimeout(r, 10_000));
  return { cpuPct: ((cpuSeconds(pid) - cpu0) / ((now() - t0) / 1000)) * 100, rssMb: rssMb(pid) };
}
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function main(): Promise<void> {
  const n = arg('n', 200);
  const scrapes = arg('scrapes', 10);
  const periodic = arg('periodic', 8);
  const everyS = arg('every', 15);
  const nodeOptions = strArg('node-options');
  if (nodeOptions !== undefined) process.env.NODE_OPTIONS = nodeOptions; // inherited by the daemon only: set before it starts
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lbm-'));
  const bundle = await makeBundle(path.join(work, 'bundle'), ['sleep', '3600']);
  const port = await freePort();
  const daemon = await startDaemon(work, ['--metrics-listen', `127.0.0.1:${port}`]);
  if (nodeOptions !== undefined) delete process.env.NODE_OPTIONS;
  const dpid = daemon.proc.pid!;
  const client = new (loadApi().types.API)(daemon.address, grpc.credentials.createInsecure()) as unknown as APIClient;
  const url = `http://127.0.0.1:${port}/metrics`;
  try {
    const pids: number[] = [];
    await pool(n, 8, (i) =>
      new Promise<void>((res, rej) => client.CreateContainer({ id: `m${i}`, bundlePath: bundle }, (e, r) => (e ? rej(e) : (pids.push(r!.pid), res())))),
    );
    // The floor: the same per-container files, read by a minimal blocking loop.
    const reader = new CgroupReader();
    const files: string[] = [];
    for (const pid of pids) {
      const cg = await reader.forPid(pid);
      files.push(`/proc/${pid}/net/dev`);
      for (const dir of new Set(Object.values(cg.dirs))) {
        if (!dir) continue;
        for (const f of fs.readdirSync(dir)) {
          if (/^(cpuacct\.(usage|stat)|cpu\.(stat|cfs_period_us|cfs_quota_us|shares)|memory\.(usage_in_bytes|max_usage_in_bytes|failcnt|limit_in_bytes|stat|oom_control|memsw\.(usage_in_bytes|max_usage_in_bytes|failcnt)|kmem\.(usage_in_bytes|max_usage_in_bytes|failcnt))|blkio\.throttle\.io_service(d|_bytes)|pids\.(current|max))$/.test(f)) files.push(path.join(dir, f));
        }
      }
    }
    const buf = Buffer.alloc(64 * 1024);
    const floor = (): void => {
      for (const f of files) {
        const fd = fs.openSync(f, 'r');
        fs.readSync(fd, buf, 0, buf.length, 0);
        fs.closeSync(fd);
      }
    };
    // Idle before anyone scraped: the daemon's standing cost with these containers.
    const fresh = await idle(dpid);
    await fetch(url).then((r) => r.text()); // warm
    floor();
    const scrapeMs: number[] = [];
    const floorMs: number[] = [];
    const readMs: number[] = [];
    const collectorsMs: number[] = [];
    const restMs: number[] = [];
    let bytes = 0;
    const cpu0 = cpuSeconds(dpid);
    for (let i = 0; i < scrapes; i++) {
      const t0 = now();
      const body = await (await fetch(url)).text();
      const ms = now() - t0;
      scrapeMs.push(ms);
      bytes = body.length;
      const { read, collectors } = phases(body);
      readMs.push(read);
      collectorsMs.push(collectors);
      restMs.push(ms - read - collectors);
    }
    const cpuPerScrape = ((cpuSeconds(dpid) - cpu0) / scrapes) * 1000;
    for (let i = 0; i < scrapes; i++) {
      const t0 = now();
      floor();
      floorMs.push(now() - t0);
    }
    const s = summarize(scrapeMs);
    const fl = summarize(floorMs);
    const read = summarize(readMs);
    const collectors = summarize(collectorsMs);
    const rest = summarize(restMs);
    // Idle again, after the scrapes (what a daemon between two Prometheus scrapes holds).
    const scraped = await idle(dpid);
    // As Prometheus scrapes: one scrape every `everyS` s. CPU is split into the scrapes (request to
    // response) and the gaps between them (what the daemon spends while nobody is scraping: GC, timers).
    let scrapeCpu = 0;
    let gapCpu = 0;
    let gapS = 0;
    const rssBeforeScrape: number[] = [];
    const p0 = now();
    const pcpu0 = cpuSeconds(dpid);
    for (let i = 0; i < periodic; i++) {
      const c0 = cpuSeconds(dpid);
      rssBeforeScrape.push(rssMb(dpid));
      const t0 = now();
      await (await fetch(url)).text();
      const c1 = cpuSeconds(dpid);
      scrapeCpu += c1 - c0;
      const wait = Math.max(0, t0 + everyS * 1000 - now());
      await new Promise((r) => setTimeout(r, wait));
      gapCpu += cpuSeconds(dpid) - c1;
      gapS += wait / 1000;
    }
    const periodicS = (now() - p0) / 1000;
    const periodicRes = {
      scrapes: periodic,
      everyS,
      cpuPct: ((cpuSeconds(dpid) - pcpu0) / periodicS) * 100,
      cpuPerScrapeMs: periodic ? (scrapeCpu / periodic) * 1000 : NaN,
      gapCpuPct: gapS ? (gapCpu / gapS) * 100 : NaN,
      rssBeforeScrapeMb: rssBeforeScrape,
      rssMaxBeforeScrapeMb: Math.max(...rssBeforeScrape),
      rssEndMb: rssMb(dpid),
    };
    const rows = [
      { measure: `scrape of ${n} containers (${(bytes / 1024).toFixed(0)} KiB), p50 ms`, value: s.p50, floor: fl.p50, ratio: s.p50 / fl.p50 },
      { measure: '  of which: cgroup read (collector "read"), p50 ms', value: read.p50, floor: fl.p50, ratio: read.p50 / fl.p50 },
      { measure: '  of which: collectors, p50 ms', value: collectors.p50, floor: '', ratio: '' },
      { measure: '  of which: the rest (exposition text, express, HTTP both ends), p50 ms', value: rest.p50, floor: '', ratio: '' },
      { measure: 'daemon CPU per scrape, ms', value: cpuPerScrape, floor: fl.p50, ratio: cpuPerScrape / fl.p50 },
      { measure: 'idle daemon CPU before any scrape, % of one core', value: fresh.cpuPct, floor: '', ratio: '' },
      { measure: 'daemon RSS before any scrape, MB', value: fresh.rssMb, floor: '', ratio: '' },
      { measure: 'idle daemon CPU after the scrapes, % of one core', value: scraped.cpuPct, floor: '', ratio: '' },
      { measure: 'daemon RSS after the scrapes, MB', value: scraped.rssMb, floor: '', ratio: '' },
      ...(periodic > 0
        ? [
            { measure: `every ${everyS} s x${periodic}: daemon CPU overall, % of one core`, value: periodicRes.cpuPct, floor: '', ratio: '' },
            { measure: `every ${everyS} s: daemon CPU per scrape, ms`, value: periodicRes.cpuPerScrapeMs, floor: fl.p50, ratio: periodicRes.cpuPerScrapeMs / fl.p50 },
            { measure: `every ${everyS} s: daemon CPU between scrapes, % of one core`, value: periodicRes.gapCpuPct, floor: '', ratio: '' },
            { measure: `every ${everyS} s: daemon RSS before a scrape (max) / at the end, MB`, value: `${periodicRes.rssMaxBeforeScrapeMb.toFixed(1)} / ${periodicRes.rssEndMb.toFixed(1)}`, floor: '', ratio: '' },
          ]
        : []),
    ];
    const title = `scrape: ${n} containers, ${files.length} files, ${scrapes} scrapes (targets: <= 1.5x floor, idle < 0.5 % CPU, < 100 MB)`;
    printTable(nodeOptions !== undefined ? `${title}; daemon NODE_OPTIONS=${nodeOptions}` : title, rows);
    writeResult('scrape', { n, scrapes, files: files.length, scrape: s, floor: fl, read, collectors, rest, cpuPerScrapeMs: cpuPerScrape, idleBeforeScrapes: fresh, idleAfterScrapes: scraped, rows, periodic: periodicRes, nodeOptions: nodeOptions ?? null });
  } finally {
    client.close();
    await cleanupRunc(path.join(daemon.stateDir, 'runc'));
    await daemon.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
