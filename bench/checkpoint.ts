/**
 * bench/checkpoint: dump (with exit) and restore of a small busybox container through legacyd's
 * API vs `runc checkpoint` / `runc restore -d` called directly with the same CRIU, in the same
 * run. legacyd's dump is timed until its reply, which comes once the stopped container has left
 * the table (so the restore reuses the id at once, as `ctr` users do); its restore, until the
 * reply with the pid (the monitor runs `runc restore` in the foreground).
 * For reference the 2015 original took ~270 ms to dump and ~180 ms to restore.
 *   node dist/bench/checkpoint.js [--rounds 5]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadApi } from '../src/proto/load';
import type { APIClient } from '../src/proto/generated/types/API';
import { findCriu } from '../src/runtime';
import { arg, cleanupRunc, makeBundle, now, printTable, runQuiet, startDaemon, summarize, writeResult } from './lib';

async function main(): Promise<void> {
  const rounds = arg('rounds', 5);
  const criu = await findCriu(undefined);
  if (!criu.ok) throw new Error(criu.reason);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lbk-'));
  const bundle = await makeBundle(path.join(work, 'bundle'), ['sh', '-c', 'i=0; while :; do i=$((i+1)); sleep 0.1; done']);
  const root = path.join(work, 'bare-root');
  const daemon = await startDaemon(work);
  const client = new (loadApi().types.API)(daemon.address, grpc.credentials.createInsecure()) as unknown as APIClient;
  const call = <T>(fn: (cb: (e: grpc.ServiceError | null, v?: T) => void) => void): Promise<T> =>
    new Promise((res, rej) => fn((e, v) => (e ? rej(e) : res(v as T))));
  const t = { bareDump: [] as number[], bareRestore: [] as number[], ldDump: [] as number[], ldRestore: [] as number[] };
  try {
    for (let r = 0; r < rounds; r++) {
      // bare runc
      const bid = `bk${r}`;
      await runQuiet('runc', ['--root', root, 'run', '-d', '-b', bundle, bid]);
      const img = path.join(work, `bare-img-${r}`);
      fs.mkdirSync(img);
      let t0 = now();
      await runQuiet('runc', ['--root', root, '--criu', criu.path, 'checkpoint', '--image-path', img, '--work-path', img, bid]);
      t.bareDump.push(now() - t0);
      t0 = now();
      await runQuiet('runc', ['--root', root, '--criu', criu.path, 'restore', '-d', '--image-path', img, '--work-path', img, '-b', bundle, `${bid}r`]);
      t.bareRestore.push(now() - t0);
      await cleanupRunc(root);
      // legacyd
      const id = `lk${r}`;
      await call((cb) => client.CreateContainer({ id, bundlePath: bundle }, cb));
      t0 = now();
      await call((cb) => client.CreateCheckpoint({ id, checkpoint: { name: `cp${r}`, exit: true } }, cb));
      t.ldDump.push(now() - t0);
      t0 = now();
      await call((cb) => client.CreateContainer({ id, bundlePath: bundle, checkpoint: `cp${r}` }, cb));
      t.ldRestore.push(now() - t0);
      await cleanupRunc(path.join(daemon.stateDir, 'runc'));
    }
  } finally {
    client.close();
    await cleanupRunc(root);
    await cleanupRunc(path.join(daemon.stateDir, 'runc'));
    await daemon.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const s = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, summarize(v)])) as Record<keyof typeof t, ReturnType<typeof summarize>>;
  const rows = [
    { step: 'dump (exit)', 'bare runc p50 ms': s.bareDump.p50, 'legacyd p50 ms': s.ldDump.p50, ratio: s.ldDump.p50 / s.bareDump.p50, '2015 original ms': 270 },
    { step: 'restore', 'bare runc p50 ms': s.bareRestore.p50, 'legacyd p50 ms': s.ldRestore.p50, ratio: s.ldRestore.p50 / s.bareRestore.p50, '2015 original ms': 180 },
  ];
  printTable(`checkpoint: ${rounds} rounds, busybox container, CRIU ${criu.path}`, rows);
  writeResult('checkpoint', { rounds, criu: criu.path, summary: s, rows });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
