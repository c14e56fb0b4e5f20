/**
 * bench/lifecycle: operations on running containers through legacyd vs bare runc, in the same
 * run and with the same parallelism: pause + resume of each container, then SIGKILL of each
 * until its exit is known and the container deleted. Then, legacyd alone, how long a State call
 * waits while pauses and resumes run (the daemon's event loop under that load).
 *   node dist/bench/lifecycle.js [--n 40] [--parallel 10] [--rounds 2]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadApi } from '../src/proto/load';
import type { APIClient } from '../src/proto/generated/types/API';
import type { Event__Output } from '../src/proto/generated/types/Event';
import { arg, cleanupRunc, defaultStateBase, inWorkDir, machineBusyMs, makeBundle, now, pool, printTable, processCpuMs, run, runQuiet, startDaemon, summarize, writeResult, type Row } from './lib';

interface Arm {
  create(id: string): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** SIGKILL the init; resolves once the container is gone. */
  kill(id: string): Promise<void>;
  /** Resolves once every container killed so far is deleted. */
  settled(): Promise<void>;
}

async function main(): Promise<void> {
  const n = arg('n', 40);
  const parallel = arg('parallel', 10);
  const rounds = arg('rounds', 2);
  await inWorkDir(defaultStateBase(), 'lbl-', async (work) => {
    const bundle = await makeBundle(path.join(work, 'bundle'), ['sleep', '3600']);
    const bareRoot = path.join(work, 'bare-root');
    const daemon = await startDaemon(work);
    const client = new (loadApi().types.API)(daemon.address, grpc.credentials.createInsecure()) as unknown as APIClient;
    const unary = <T>(fn: (cb: (e: grpc.ServiceError | null, r?: T) => void) => void): Promise<T> =>
      new Promise((resolve, reject) => fn((e, r) => (e ? reject(e) : resolve(r as T))));

    // Exit events, by container id, from one subscription for the whole run.
    const exited = new Map<string, () => void>();
    const events = client.Events({ timestamp: 0 });
    events.on('data', (e: Event__Output) => {
      if (e.type === 'exit' && e.pid === pids.get(e.id)) exited.get(e.id)?.();
    });
    events.on('error', () => undefined);

    const pids = new Map<string, number>();
    const containersDir = path.join(daemon.stateDir, 'containers');
    const legacyd: Arm = {
      create: async (id) => {
        const r = await unary<{ pid: number }>((cb) => client.CreateContainer({ id, bundlePath: bundle }, cb));
        pids.set(id, r.pid);
      },
      pause: (id) => unary((cb) => client.UpdateContainer({ id, status: 'paused' }, cb)).then(() => undefined),
      resume: (id) => unary((cb) => client.UpdateContainer({ id, status: 'running' }, cb)).then(() => undefined),
      kill: async (id) => {
        const gone = new Promise<void>((resolve) => exited.set(id, resolve));
        await unary((cb) => client.Signal({ id, pid: pids.get(id)!, signal: 9 }, cb));
        await gone;
      },
      settled: async () => {
        const deadline = now() + 60_000;
        while (fs.readdirSync(containersDir).length > 0) {
          if (now() > deadline) throw new Error('legacyd still holds containers a minute after their exits');
          await new Promise((r) => setTimeout(r, 10));
        }
      },
    };
    const runc = (...args: string[]): Promise<void> => run('runc', ['--root', bareRoot, ...args]).then(() => undefined);
    const bare: Arm = {
      // Its stdio, not execFile's pipes: the container inherits them and would hold them open.
      create: (id) => runQuiet('runc', ['--root', bareRoot, 'run', '-d', '--pid-file', path.join(work, `${id}.pid`), '-b', bundle, id]),
      pause: (id) => runc('pause', id),
      resume: (id) => runc('resume', id),
      kill: async (id) => {
        await runc('kill', id, 'KILL');
        await runc('delete', '--force', id);
      },
      settled: () => Promise.resolve(),
    };

    const results: Record<string, { pause: number[]; pauseCpu: number[]; kill: number[]; killCpu: number[] }> = {
      'bare runc': { pause: [], pauseCpu: [], kill: [], killCpu: [] },
      legacyd: { pause: [], pauseCpu: [], kill: [], killCpu: [] },
    };
    const daemonCpu = { pause: [] as number[], kill: [] as number[] };
    const stateWaits: number[] = [];
    try {
      for (let r = 0; r < rounds; r++) {
        const order: [string, Arm][] = [['bare runc', bare], ['legacyd', legacyd]];
        if (r % 2 === 1) order.reverse();
        for (const [name, arm] of order) {
          const ids = Array.from({ length: n }, (_, i) => `l${r}${name[0]}${i}`);
          await pool(n, parallel, (i) => arm.create(ids[i]!));
          await new Promise((res) => setTimeout(res, 200));
          const d0 = processCpuMs(daemon.proc.pid!);
          let t0 = now();
          let c0 = machineBusyMs();
          await pool(n, parallel, async (i) => {
            await arm.pause(ids[i]!);
            await arm.resume(ids[i]!);
          });
          results[name]!.pause.push(now() - t0);
          results[name]!.pauseCpu.push((machineBusyMs() - c0) / (2 * n));
          const d1 = processCpuMs(daemon.proc.pid!);
          t0 = now();
          c0 = machineBusyMs();
          await pool(n, parallel, (i) => arm.kill(ids[i]!));
          await arm.settled();
          results[name]!.kill.push(now() - t0);
          results[name]!.killCpu.push((machineBusyMs() - c0) / n);
          if (name === 'legacyd') {
            daemonCpu.pause.push((d1 - d0) / (2 * n));
            daemonCpu.kill.push((processCpuMs(daemon.proc.pid!) - d1) / n);
          }
        }
      }
      // legacyd alone: State calls, one every 5 ms, while pauses and resumes run 10 at a time.
      const ids = Array.from({ length: n }, (_, i) => `probe${i}`);
      await pool(n, parallel, (i) => legacyd.create(ids[i]!));
      let probing = true;
      const prober = (async () => {
        while (probing) {
          const t = now();
          await unary((cb) => client.State({}, cb));
          stateWaits.push(now() - t);
          await new Promise((res) => setTimeout(res, 5));
        }
      })();
      for (let pass = 0; pass < 3; pass++) {
        await pool(n, parallel, async (i) => {
          await legacyd.pause(ids[i]!);
          await legacyd.resume(ids[i]!);
        });
      }
      probing = false;
      await prober;
      await pool(n, parallel, (i) => legacyd.kill(ids[i]!));
      await legacyd.settled();
    } finally {
      events.cancel();
      await cleanupRunc(bareRoot);
      await cleanupRunc(path.join(daemon.stateDir, 'runc'));
      client.close();
      await daemon.stop();
    }
    const b = results['bare runc']!;
    const l = results.legacyd!;
    const mean = (xs: number[]): number => summarize(xs).mean;
    const rows: Row[] = [
      { measure: `pause + resume of ${n} (${parallel} parallel), mean ms`, 'bare runc': mean(b.pause), legacyd: mean(l.pause), ratio: mean(l.pause) / mean(b.pause) },
      { measure: 'machine CPU per pause or resume, mean ms', 'bare runc': mean(b.pauseCpu), legacyd: mean(l.pauseCpu), ratio: mean(l.pauseCpu) / mean(b.pauseCpu) },
      { measure: `SIGKILL of ${n} until exited and deleted, mean ms`, 'bare runc': mean(b.kill), legacyd: mean(l.kill), ratio: mean(l.kill) / mean(b.kill) },
      { measure: 'machine CPU per kill, mean ms', 'bare runc': mean(b.killCpu), legacyd: mean(l.killCpu), ratio: mean(l.killCpu) / mean(b.killCpu) },
    ];
    printTable(`lifecycle: ${rounds} rounds, legacyd UpdateContainer/Signal vs bare runc pause/resume/kill+delete`, rows);
    const waits = summarize(stateWaits);
    console.log(`\nlegacyd daemon CPU: ${mean(daemonCpu.pause).toFixed(2)} ms per pause or resume, ${mean(daemonCpu.kill).toFixed(2)} ms per kill (its exit and delete included)`);
    console.log(`State call while ${parallel} pauses/resumes run: p50 ${waits.p50.toFixed(1)} ms, p90 ${waits.p90.toFixed(1)} ms, max ${waits.max.toFixed(1)} ms (${waits.n} calls)`);
    writeResult('lifecycle', { n, parallel, rounds, rows, daemonCpuMs: { perPauseOrResume: mean(daemonCpu.pause), perKill: mean(daemonCpu.kill) }, stateDuringPauses: waits });
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
