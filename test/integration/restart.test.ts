import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { beforeEach, describe, expect, it } from 'vitest';
import { integrationPrerequisites } from '../helpers/ci';
import { exitOf, findContainer } from '../helpers/client';
import { startDaemon } from '../helpers/daemon';
import { useDaemon } from '../helpers/fixture';
import { makeBundle } from '../helpers/bundle';
import { childCgroups, runcList, runcPs, runcState } from '../helpers/runc';
import { monitorsUnder } from '../helpers/proc';
import { tempDir } from '../helpers/tmp';
import { eventually, pidAlive, waitPidGone, withTimeout } from '../helpers/wait';

const ready = integrationPrerequisites();

const EXEC = { env: ['PATH=/bin'], cwd: '/' };

describe.skipIf(!ready)('restarts: containers and exit statuses outlive the daemon', () => {
  const t = useDaemon();

  // A test that failed with the daemon down must not take the next one with it.
  beforeEach(async () => {
    if (t.daemon.exited()) t.use(await t.daemon.restart());
  });

  const pids = (id: string, state: Awaited<ReturnType<typeof t.api.state>>) => findContainer(state, id)?.processes.map((p) => p.pid);

  it('after kill -9 of the daemon: exits that happened while it was down arrive with exact statuses, survivors are re-adopted', async () => {
    const a = await t.start('rs-a');
    const b = await t.start('rs-b');
    const c = await t.start('rs-c');
    const exec1 = await t.api.addProcess({ id: 'rs-a', args: ['sleep', '300'], ...EXEC });
    const exec2 = await t.api.addProcess({ id: 'rs-a', args: ['sleep', '300'], ...EXEC });
    const subscriber = await t.events();

    await t.daemon.kill9();
    await withTimeout(subscriber.ended, 15_000, 'the Events stream of the killed daemon to end');
    // While it is down: one container init and one exec process die.
    process.kill(b.pid, 'SIGKILL');
    process.kill(exec1.pid, 'SIGTERM');
    await waitPidGone(b.pid);
    await waitPidGone(exec1.pid);
    t.use(await t.daemon.restart());

    const events = await t.events();
    expect((await events.waitFor(exitOf('rs-b', b.pid))).status).toBe(137);
    expect((await events.waitFor(exitOf('rs-a', exec1.pid))).status).toBe(143);

    await eventually(async () => expect(findContainer(await t.api.state(), 'rs-b')).toBeUndefined());
    const state = await t.api.state();
    expect(findContainer(state, 'rs-a')?.status).toBe('running');
    expect(findContainer(state, 'rs-c')?.status).toBe('running');
    expect(pids('rs-a', state)).toEqual([a.pid, exec2.pid]); // init first, the dead exec gone
    expect(pids('rs-c', state)).toEqual([c.pid]);

    await t.api.signal({ id: 'rs-c', pid: c.pid, signal: 9 });

    expect((await events.waitFor(exitOf('rs-c', c.pid))).status).toBe(137);
  });

  /**
   * The daemon stopped (kill -9 unless `stop` says otherwise) with creates and execs in flight,
   * then a restart: every acknowledged one is there, and the daemon holds exactly what runs (an
   * interrupted create is whole or gone). `runtime`: the runc the stopped daemon uses (slowed:
   * some creates are then cleaned on the restart before their runc has run); `when`: what the
   * stop waits for. Container ids are `<prefix>-host` (execs go there) and `<prefix>-0..9`.
   * Returns the ids the restart cleaned.
   */
  interface InFlight {
    prefix: string;
    runtime?: string;
    when: (creates: Promise<unknown>[]) => Promise<unknown>;
    stop?: () => Promise<unknown>;
  }
  const kill9 = (): Promise<unknown> => t.daemon.kill9();
  const stopInFlight = async ({ prefix, runtime, when, stop = kill9 }: InFlight): Promise<string[]> => {
    const host = `${prefix}-host`;
    await t.start(host);
    if (runtime) t.use(await t.daemon.restart({ extraArgs: ['--runtime', runtime] }));
    const ids = Array.from({ length: 10 }, (_, i) => t.track(`${prefix}-${i}`));
    const bundle = await makeBundle(['sleep', '3600']);
    const creates = ids.map((id) => t.api.createContainer({ id, bundlePath: bundle }).then(({ pid }) => ({ id, pid })));
    const execs = Array.from({ length: 4 }, () => t.api.addProcess({ id: host, args: ['sleep', '300'], ...EXEC }));
    const outcomes = Promise.all([Promise.allSettled(creates), Promise.allSettled(execs)]);

    await when(creates);
    await stop();
    const settled = <T>(all: PromiseSettledResult<T>[]): T[] => all.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const [createOutcomes, execOutcomes] = await outcomes;
    const created = settled(createOutcomes);
    const execed = settled(execOutcomes).map((r) => r.pid);
    // (How many a kill -9 leaves in flight depends on this machine's load; the slowed variant
    // below is the one sure to interrupt some.) A clean stop lets the calls it took finish; one it
    // refused says why.
    if (stop !== kill9) for (const r of [...createOutcomes, ...execOutcomes]) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: grpc.status.UNAVAILABLE });
    t.use(await t.daemon.restart({ extraArgs: [] })); // with the file's own runc

    // Nothing acknowledged is lost.
    const state = await t.api.state();
    for (const { id, pid } of created) {
      expect(findContainer(state, id)?.status).toBe('running');
      expect(pids(id, state)?.[0]).toBe(pid);
    }
    expect(pids(host, state)).toEqual(expect.arrayContaining(execed));
    // What the daemon holds is what runs: no orphan runc container, cgroup, monitor or exec
    // process, and none it lists without one.
    const held = state.containers.map((c) => c.id).sort();
    for (const c of state.containers) for (const p of c.processes) expect(pidAlive(p.pid)).toBe(true);
    await eventually(async () => {
      expect((await runcList(t.daemon.runcRoot)).map((c) => `${c.id} ${c.status}`).sort()).toEqual(held.map((id) => `${id} running`));
      expect(fs.readdirSync(path.join(t.daemon.stateDir, 'containers')).sort()).toEqual(held);
      expect([...childCgroups(t.daemon.cgroupParent)].sort()).toEqual(held);
      // One monitor per process it holds; an interrupted one's monitor is gone once its runc has run.
      expect(Object.fromEntries(monitorsUnder(t.daemon.stateDir))).toEqual(Object.fromEntries(state.containers.map((c) => [c.id, c.processes.length])));
      expect((await runcPs(t.daemon.runcRoot, host)).sort()).toEqual(pids(host, state)!.slice().sort());
    }, 15_000);

    // And every one of them is under control: killed, it exits 137 and leaves nothing behind.
    const events = await t.events();
    for (const c of state.containers) await t.api.signal({ id: c.id, pid: c.processes[0]!.pid, signal: 9 });
    for (const c of state.containers) expect((await events.waitFor(exitOf(c.id, c.processes[0]!.pid))).status).toBe(137);
    await eventually(async () => {
      expect(await runcList(t.daemon.runcRoot)).toEqual([]);
      expect(fs.readdirSync(path.join(t.daemon.stateDir, 'containers'))).toEqual([]);
      expect(childCgroups(t.daemon.cgroupParent).size).toBe(0);
      expect(monitorsUnder(t.daemon.stateDir).size).toBe(0);
    }, 15_000);
    return ids.filter((id) => !held.includes(id));
  };

  it('kill -9 with creates and execs in flight: the next start holds every acknowledged one, and exactly what runc runs', async () => {
    await stopInFlight({ prefix: 'rk', when: (creates) => Promise.race(creates) });
  });

  it('SIGTERM with creates and execs in flight: the calls it took finish, and the next start holds them and exactly what runs', async () => {
    await stopInFlight({ prefix: 'rt', when: (creates) => Promise.race(creates), stop: () => t.daemon.stop('SIGTERM') });
  });

  it('the same with runc slowed down, so the next start comes while creates and execs are still starting', async () => {
    // `runc run` and `runc exec` start 3 s late; the restart takes about 1 s. The interrupted
    // monitors run their runc after the cleanup, which must then fail and leave nothing.
    const dir = await tempDir('legacyd-slow-runc');
    const slow = path.join(dir, 'runc');
    const calls = path.join(dir, 'calls');
    fs.writeFileSync(slow, `#!/bin/sh\ncase " $* " in *" run "*|*" exec "*) sleep 3 ;; esac\nrunc "$@"\ns=$?\necho "$s $*" >> ${calls}\nexit $s\n`, { mode: 0o755 });
    // The kill comes once most creates and an exec have their monitor (runc is not running yet).
    const monitors = (): Map<string, number> => monitorsUnder(t.daemon.stateDir);
    const creating = (): number => [...monitors().keys()].filter((id) => /^rks-\d+$/.test(id)).length;
    const cleaned = await stopInFlight({
      prefix: 'rks',
      runtime: slow,
      when: () =>
        eventually(() => {
          expect(creating()).toBeGreaterThanOrEqual(6);
          expect(monitors().get('rks-host')).toBeGreaterThanOrEqual(2);
        }, 15_000, 20),
    });

    expect(cleaned.length).toBeGreaterThan(0);
    // Each cleaned create's runc did run, after the cleanup, and failed; so did the execs' (all
    // of them were started and interrupted alongside).
    const lines = fs.readFileSync(calls, 'utf8').split('\n');
    const runs = lines.filter((l) => / run /.test(l));
    for (const id of cleaned) expect(runs.find((l) => l.endsWith(` ${id}`))).toMatch(/^[1-9]\d* /);
    const execs = lines.filter((l) => / exec /.test(l));
    expect(execs.length).toBeGreaterThan(0);
    for (const l of execs) expect(l).toMatch(/^[1-9]\d* /);
  });

  it('a torn container record written while the daemon was down does not stop it from starting', async () => {
    const { pid } = await t.start('rs-survivor');
    expect(await t.daemon.stop()).toBe(0);
    const containers = path.join(t.daemon.stateDir, 'containers');
    expect(fs.existsSync(path.join(containers, 'rs-survivor'))).toBe(true); // the records live where we tear them
    fs.mkdirSync(path.join(containers, 'rs-torn'));
    fs.writeFileSync(path.join(containers, 'rs-torn', 'container.json'), '{"id":');
    fs.mkdirSync(path.join(containers, 'rs-empty'));
    fs.writeFileSync(path.join(containers, 'rs-empty', 'container.json'), '');

    t.use(await t.daemon.restart());

    const state = await t.api.state();
    expect(findContainer(state, 'rs-torn')).toBeUndefined();
    expect(findContainer(state, 'rs-empty')).toBeUndefined();
    expect(pids('rs-survivor', state)).toEqual([pid]);
  });

  it('SIGTERM: exit 0, Events streams end cleanly, containers keep running and the next daemon re-adopts them', async () => {
    const { pid } = await t.start('rs-term');
    const subscriber = await t.events();

    expect(await t.daemon.stop('SIGTERM')).toBe(0);

    expect((await withTimeout(subscriber.ended, 15_000, 'the Events stream to end')).code).toBe(grpc.status.OK);
    expect(pidAlive(pid)).toBe(true);
    expect((await runcState(t.daemon.runcRoot, 'rs-term'))?.status).toBe('running');

    t.use(await t.daemon.restart());

    expect(pids('rs-term', await t.api.state())).toEqual([pid]);
    const events = await t.events();
    await t.api.signal({ id: 'rs-term', pid, signal: 9 });
    expect((await events.waitFor(exitOf('rs-term', pid))).status).toBe(137);
  });

  it('a paused container is re-adopted paused, its neighbour running, and resumes after the restart', async () => {
    const paused = await t.start('rs-paused');
    const running = await t.start('rs-running');
    await t.api.updateContainer({ id: 'rs-paused', status: 'paused' });

    await t.daemon.kill9();
    t.use(await t.daemon.restart());

    const state = await t.api.state();
    expect(findContainer(state, 'rs-paused')?.status).toBe('paused');
    expect(findContainer(state, 'rs-running')?.status).toBe('running');
    expect(pids('rs-paused', state)).toEqual([paused.pid]);
    expect(pids('rs-running', state)).toEqual([running.pid]);
    await t.api.updateContainer({ id: 'rs-paused', status: 'running' });
    expect(findContainer(await t.api.state(), 'rs-paused')?.status).toBe('running');
    expect((await runcState(t.daemon.runcRoot, 'rs-paused'))?.status).toBe('running');
  });

  it('an exit right before a SIGTERM is not lost: its stream sees it before it ends, or the next start delivers it', async () => {
    const { pid } = await t.start('rs-termexit');
    const subscriber = await t.events();
    await t.api.signal({ id: 'rs-termexit', pid, signal: 9 });

    t.daemon.proc.kill('SIGTERM');
    expect(await t.daemon.waitExit()).toBe(0);
    await withTimeout(subscriber.ended, 15_000, 'the Events stream to end');
    const seen = subscriber.seen.filter(exitOf('rs-termexit', pid));
    t.use(await t.daemon.restart());
    const events = await t.events();

    const exit = seen[0] ?? (await events.waitFor(exitOf('rs-termexit', pid)));
    expect(exit.status).toBe(137);
    await eventually(async () => {
      expect(findContainer(await t.api.state(), 'rs-termexit')).toBeUndefined();
      expect(await runcState(t.daemon.runcRoot, 'rs-termexit')).toBeUndefined();
      expect(fs.existsSync(path.join(t.daemon.stateDir, 'containers', 'rs-termexit'))).toBe(false);
    });
  });

  it('a second legacyd on the same state dir (another socket) refuses to start, naming the first, and touches nothing', async () => {
    const { pid } = await t.start('rs-owner');

    const second = await startDaemon({ stateDir: t.daemon.stateDir }).then(
      async (d) => {
        await d.destroy();
        return 'started';
      },
      (e: Error) => e.message,
    );

    expect(second).toContain(`state dir ${t.daemon.stateDir} is in use by another legacyd (pid ${t.daemon.proc.pid})`);
    expect(second).not.toContain('state recovered'); // it stopped before reading anything
    // The first goes on: its runc verbs (through its helper and its commands dir) work.
    await t.api.updateContainer({ id: 'rs-owner', status: 'paused' });
    await t.api.updateContainer({ id: 'rs-owner', status: 'running' });
    expect(pids('rs-owner', await t.api.state())).toEqual([pid]);
  });

  it('a second SIGTERM during shutdown does not crash it (the original daemon did): exit 0, containers live on', async () => {
    const { pid } = await t.start('rs-term2');

    t.daemon.proc.kill('SIGTERM');
    t.daemon.proc.kill('SIGTERM');

    expect(await t.daemon.waitExit()).toBe(0);
    expect(pidAlive(pid)).toBe(true);
    t.use(await t.daemon.restart());
    expect(pids('rs-term2', await t.api.state())).toEqual([pid]);
  });
});
