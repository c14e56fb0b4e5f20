/**
 * bench/scrape: /metrics with N real containers: scrape time and daemon CPU per scrape, against
 * the raw floor (the same cgroup files read by a minimal blocking loop) in the same run; then
 * idle daemon CPU and RSS with nobody scraping.   node dist/bench/scrape.js [--n 200] [--scrapes 10]
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CgroupReader } from '../src/cgroups';
import { loadApi } from '../src/proto/load';
import type { APIClient } from '../src/proto/generated/types/API';
import { cleanupRunc, makeBundle, now, pool, printTable, startDaemon, summarize, writeResult } from './lib';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const TICK = 100; // USER_HZ

function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
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
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lbm-'));
  const bundle = await makeBundle(path.join(work, 'bundle'), ['sleep', '3600']);
  const port = await freePort();
  const daemon = await startDaemon(work, ['--metrics-listen', `127.0.0.1:${port}`]);
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
    await fetch(url).then((r) => r.text()); // warm
    floor();
    const scrapeMs: number[] = [];
    const floorMs: number[] = [];
    let bytes = 0;
    const cpu0 = cpuSeconds(dpid);
    for (let i = 0; i < scrapes; i++) {
      const t0 = now();
      bytes = (await (await fetch(url)).text()).length;
      scrapeMs.push(now() - t0);
    }
    const cpuPerScrape = ((cpuSeconds(dpid) - cpu0) / scrapes) * 1000;
    for (let i = 0; i < scrapes; i++) {
      const t0 = now();
      floor();
      floorMs.push(now() - t0);
    }
    const s = summarize(scrapeMs);
    const fl = summarize(floorMs);
    // Idle: nobody scraping for 10 s.
    const idle0 = cpuSeconds(dpid);
    const t0 = now();
    await new Promise((r) => setTimeout(r, 10_000));
    const idleCpuPct = ((cpuSeconds(dpid) - idle0) / ((now() - t0) / 1000)) * 100;
    const rss = rssMb(dpid);
    const rows = [
      { measure: `scrape of ${n} containers (${(bytes / 1024).toFixed(0)} KiB), p50 ms`, value: s.p50, floor: fl.p50, ratio: s.p50 / fl.p50 },
      { measure: 'daemon CPU per scrape, ms', value: cpuPerScrape, floor: fl.p50, ratio: cpuPerScrape / fl.p50 },
      { measure: 'idle daemon CPU, % of one core', value: idleCpuPct, floor: '', ratio: '' },
      { measure: 'daemon RSS, MB', value: rss, floor: '', ratio: '' },
    ];
    printTable(`scrape: ${n} containers, ${files.length} files, ${scrapes} scrapes (targets: <= 1.5x floor, idle < 0.5 % CPU, < 100 MB)`, rows);
    writeResult('scrape', { n, scrapes, files: files.length, scrape: s, floor: fl, cpuPerScrapeMs: cpuPerScrape, idleCpuPct, rssMb: rss, rows });
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
