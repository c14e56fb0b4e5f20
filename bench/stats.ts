/**
 * bench/stats: full stats (every CgroupStats group + net/dev) for N real containers through the
 * cgroups module, against the raw floor in the same run: the same files read by a minimal
 * loop (blocking open/read/close; blocking pread on descriptors kept open, the floor of what the
 * module does now; parallel fs.promises). The module's rows are steady state (round 0, which
 * opens the kept descriptors, is not counted); the "no kept fds" rows open and close every file.
 * Also GetStats first-message latency through the daemon.   node dist/bench/stats.js [--n 50] [--rounds 5]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CgroupReader, type Cgroup } from '../src/cgroups';
import { loadApi } from '../src/proto/load';
import type { APIClient } from '../src/proto/generated/types/API';
import { cleanupRunc, makeBundle, now, pool, printTable, runQuiet, startDaemon, summarize, writeResult } from './lib';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

/** The files a full read touches, for the floor loop. */
function filesOf(cg: Cgroup, pid: number): string[] {
  const out: string[] = [`/proc/${pid}/net/dev`];
  for (const dir of new Set(Object.values(cg.dirs))) {
    if (!dir) continue;
    for (const f of fs.readdirSync(dir)) {
      if (/^(cpuacct\.(usage|usage_percpu|stat)|cpu\.(stat|cfs_period_us|cfs_quota_us|shares)|memory\.(usage_in_bytes|max_usage_in_bytes|failcnt|limit_in_bytes|stat|oom_control|memsw\.(usage_in_bytes|max_usage_in_bytes|failcnt)|kmem\.(usage_in_bytes|max_usage_in_bytes|failcnt))|blkio\.(throttle\.io_service_bytes|throttle\.io_serviced|io_\w+_recursive|sectors_recursive|time_recursive)|pids\.(current|max)|hugetlb\..*)$/.test(f)) {
        out.push(path.join(dir, f));
      }
    }
  }
  return out;
}

async function main(): Promise<void> {
  const n = arg('n', 50);
  const rounds = arg('rounds', 5);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lbs-'));
  const bundle = await makeBundle(path.join(work, 'bundle'), ['sleep', '3600']);
  const root = path.join(work, 'root');
  const pids: number[] = [];
  try {
    await pool(n, 5, async (i) => {
      const pidFile = path.join(work, `${i}.pid`);
      await runQuiet('runc', ['--root', root, 'run', '-d', '--pid-file', pidFile, '-b', bundle, `bs${process.pid}-${i}`]);
      pids[i] = Number(fs.readFileSync(pidFile, 'utf8'));
    });
    const reader = new CgroupReader();
    const syncReader = new CgroupReader({ io: 'sync' });
    // The same readers without kept descriptors: every read opens and closes its files (the module before fds were kept).
    const reopenReader = new CgroupReader({ keepOpenFiles: 0 });
    const reopenSyncReader = new CgroupReader({ io: 'sync', keepOpenFiles: 0 });
    const cgs = await Promise.all(pids.map((p) => reader.forPid(p)));
    const syncCgs = await Promise.all(pids.map((p) => syncReader.forPid(p)));
    const reopenCgs = await Promise.all(pids.map((p) => reopenReader.forPid(p)));
    const reopenSyncCgs = await Promise.all(pids.map((p) => reopenSyncReader.forPid(p)));
    const files = cgs.map((cg, i) => filesOf(cg, pids[i]!));
    // Floor for kept descriptors: cgroupfs files opened once, then one pread at offset 0 per read (net/dev is opened each time, as the module does).
    const keptFds = files.map((list) => list.map((f) => (f.startsWith('/proc/') ? -1 : fs.openSync(f, 'r'))));
    const buf = Buffer.alloc(64 * 1024);
    const variants: Record<string, () => Promise<void>> = {
      'floor: blocking open/read/close': async () => {
        for (const list of files) for (const f of list) {
          const fd = fs.openSync(f, 'r');
          fs.readSync(fd, buf, 0, buf.length, 0);
          fs.closeSync(fd);
        }
      },
      'floor: blocking pread on kept fds': async () => {
        files.forEach((list, i) =>
          list.forEach((f, j) => {
            const kept = keptFds[i]![j]!;
            const fd = kept >= 0 ? kept : fs.openSync(f, 'r');
            fs.readSync(fd, buf, 0, buf.length, 0);
            if (kept < 0) fs.closeSync(fd);
          }),
        );
      },
      'floor: fs.promises, per container in parallel': async () => {
        await Promise.all(files.map((list) => Promise.all(list.map((f) => fs.promises.readFile(f)))));
      },
      'cgroups module (async io)': async () => {
        await Promise.all(cgs.map((cg, i) => Promise.all([cg.stats(), reader.readNetDev(pids[i]!)])));
      },
      'cgroups module (sync io)': async () => {
        await Promise.all(syncCgs.map((cg, i) => Promise.all([cg.stats(), syncReader.readNetDev(pids[i]!)])));
      },
      'cgroups module (async io, no kept fds)': async () => {
        await Promise.all(reopenCgs.map((cg, i) => Promise.all([cg.stats(), reopenReader.readNetDev(pids[i]!)])));
      },
      'cgroups module (sync io, no kept fds)': async () => {
        await Promise.all(reopenSyncCgs.map((cg, i) => Promise.all([cg.stats(), reopenSyncReader.readNetDev(pids[i]!)])));
      },
    };
    const times: Record<string, number[]> = {};
    for (let r = 0; r < rounds + 1; r++) {
      for (const [name, fn] of Object.entries(variants)) {
        const t0 = now();
        await fn();
        if (r > 0) (times[name] ??= []).push(now() - t0); // round 0 warms caches
      }
    }
    const floor = summarize(times['floor: blocking open/read/close']!).p50;
    const floorAsync = summarize(times['floor: fs.promises, per container in parallel']!).p50;
    const rows = Object.entries(times).map(([name, t]) => {
      const s = summarize(t);
      return { read: name, 'p50 ms': s.p50, 'per container µs': (s.p50 * 1000) / n, 'vs blocking floor': s.p50 / floor, 'vs async floor': s.p50 / floorAsync };
    });
    for (const list of keptFds) for (const fd of list) if (fd >= 0) fs.closeSync(fd);
    reader.closeFiles();
    syncReader.closeFiles();
    printTable(`stats: full stats of ${n} containers (${files[0]!.length} files each), ${rounds} rounds (target <= 1.5x floor)`, rows);

    // GetStats first-message latency through the daemon (the 2015 original: ~800 ms).
    const daemon = await startDaemon(work);
    const client = new (loadApi().types.API)(daemon.address, grpc.credentials.createInsecure()) as unknown as APIClient;
    const first: number[] = [];
    try {
      await new Promise<void>((res, rej) => client.CreateContainer({ id: 'bench-stats', bundlePath: bundle }, (e) => (e ? rej(e) : res())));
      for (let i = 0; i < 20; i++) {
        const t0 = now();
        await new Promise<void>((resolve, reject) => {
          const call = client.GetStats({ id: 'bench-stats' });
          call.once('data', () => {
            first.push(now() - t0);
            call.cancel();
            resolve();
          });
          call.once('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? undefined : reject(e)));
        });
      }
    } finally {
      client.close();
      await cleanupRunc(path.join(daemon.stateDir, 'runc'));
      await daemon.stop();
    }
    const fm = summarize(first);
    printTable('GetStats first message (target <= 20 ms; the 2015 original ~800 ms)', [{ measure: 'first message latency', 'p50 ms': fm.p50, 'p90 ms': fm.p90, 'max ms': fm.max }]);
    writeResult('stats', { n, rounds, filesPerContainer: files[0]!.length, rows, getStatsFirstMessage: fm });
  } finally {
    await cleanupRunc(root);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
