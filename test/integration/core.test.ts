import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mustBeBuilt } from '../helpers/native';
import { readConfig } from '../helpers/bundle';
import { integrationPrerequisites } from '../helpers/ci';
import { eventOf, exitOf, findContainer } from '../helpers/client';
import { makeFifos, openReader, openWriter, readAll } from '../helpers/fifo';
import { useDaemon } from '../helpers/fixture';
import { memoryCgroupDir, runcState } from '../helpers/runc';
import { tempDir } from '../helpers/tmp';
import { eventually, pidAlive } from '../helpers/wait';
import { statOf } from '../helpers/proc';

const ready = integrationPrerequisites();

describe.skipIf(!ready)('the v0 API over runc: containers, processes, events', () => {
  const t = useDaemon();

  async function fifos() {
    return makeFifos(await tempDir('legacyd-fifos'));
  }

  async function statusOf(id: string): Promise<string | undefined> {
    return findContainer(await t.api.state(), id)?.status;
  }

  it('CreateContainer connects the container stdout to the client fifo: it says hello', async () => {
    const io = await fifos();
    const stdout = openReader(io.stdout);

    await t.start('core-hello', ['sh', '-c', 'echo hello; sleep 30'], { stdout: io.stdout });

    expect(await stdout.waitForText('hello\n')).toBe('hello\n');
  });

  it('CreateContainer replies with the host pid of the container init, the one runc reports', async () => {
    const { pid } = await t.start('core-pid');

    expect(pid).toBeGreaterThan(0);
    expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
    // runc writes its pid file once it has released the init, which may still be `runc init`
    // for a moment before it execs the bundle's command: the same pid becomes `sleep`.
    await eventually(() => expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe('sleep'), 5_000, 20);
    expect((await runcState(t.daemon.runcRoot, 'core-pid'))?.pid).toBe(pid);
  });

  it('each process is the child of its own monitor (a fork of the native helper, its subreaper, named for it in ps); no runc stays behind once it runs', async () => {
    const id = 'core-monitor';
    const { pid } = await t.start(id);
    const { pid: execPid } = await t.api.addProcess({ id, args: ['sleep', '3600'], env: ['PATH=/bin'], cwd: '/', user: { uid: 0, gid: 0 } });
    const processDirs = path.join(t.daemon.stateDir, 'containers', id, 'processes');
    const parentOf = (p: number): number => Number(statOf(p)[1]);
    const cmdline = (p: number): string[] => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');

    for (const p of [pid, execPid]) {
      const key = fs.readdirSync(processDirs).find((k) => fs.readFileSync(path.join(processDirs, k, 'pid'), 'utf8').trim() === String(p))!;
      const monitor = (JSON.parse(fs.readFileSync(path.join(processDirs, key, 'monitor.json'), 'utf8')) as { pid: number }).pid;
      // runc exits once the process runs; until then the process's parent is runc.
      await eventually(() => expect(parentOf(p)).toBe(monitor), 5_000, 20);
      // ps names it and the process it watches (its state dir), not the helper's arguments.
      expect(cmdline(monitor)[0]).toBe(`legacyd-monitor ${path.join(processDirs, key)}`);
      // The daemon took the built native helper, not its fallbacks.
      expect(fs.readlinkSync(`/proc/${monitor}/exe`)).toBe(mustBeBuilt());
      expect(fs.readFileSync(`/proc/${monitor}/comm`, 'utf8')).toBe('legacyd-monitor\n');
    }
    const runcs = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        const argv = cmdline(Number(p));
        return path.basename(argv[0]!) === 'runc' && argv.includes(id);
      } catch {
        return false; // gone meanwhile
      }
    });
    expect(runcs).toEqual([]);
  });

  it('State lists a running container with its bundle and its init process first', async () => {
    const { pid, bundle } = await t.start('core-state');
    const spec = readConfig(bundle).process;

    const container = findContainer(await t.api.state(), 'core-state');

    expect(container).toMatchObject({ id: 'core-state', bundlePath: bundle, status: 'running' });
    expect(container!.processes[0]).toMatchObject({ pid, terminal: false, args: ['sleep', '3600'], cwd: spec.cwd, env: spec.env });
  });

  it('State describes the machine: hostname, cpu count, and memory in bytes', async () => {
    const { machine } = await t.api.state();

    expect(machine).toEqual({ id: os.hostname(), cpus: os.cpus().length, memory: String(os.totalmem()) });
  });

  it('AddProcess runs a process in the container: start-process, then exit with its status, and its stdout', async () => {
    await t.start('core-exec');
    const events = await t.events();
    const io = await fifos();
    const stdout = readAll(io.stdout);
    const args = ['sh', '-c', 'echo out; exit 3'];

    const { pid } = await t.api.addProcess({
      id: 'core-exec', args, env: ['PATH=/bin'], cwd: '/', stdout: io.stdout, user: { uid: 0, gid: 0 },
    });

    expect(pid).toBeGreaterThan(0);
    const started = await events.waitFor(eventOf('start-process', 'core-exec', pid));
    const exited = await events.waitFor(exitOf('core-exec', pid));
    expect(started.process?.args).toEqual(args);
    expect(exited.status).toBe(3);
    expect(events.seen.indexOf(started)).toBeLessThan(events.seen.indexOf(exited));
    expect(await stdout).toBe('out\n');
  });

  it('AddProcess without a user runs the process as root (the original daemon crashed here)', async () => {
    await t.start('core-nouser');
    const events = await t.events();

    // Exits with its own uid: status 0 means it ran as root.
    const { pid } = await t.api.addProcess({ id: 'core-nouser', args: ['sh', '-c', 'exit $(id -u)'], env: ['PATH=/bin'], cwd: '/' });

    expect(pid).toBeGreaterThan(0);
    expect((await events.waitFor(exitOf('core-nouser', pid))).status).toBe(0);
    expect(await statusOf('core-nouser')).toBe('running');
  });

  it('UpdateContainer "paused" freezes the container with a pause event, and pausing again succeeds', async () => {
    await t.start('core-pause');
    const events = await t.events();

    await t.api.updateContainer({ id: 'core-pause', status: 'paused' });

    expect(await statusOf('core-pause')).toBe('paused');
    expect((await runcState(t.daemon.runcRoot, 'core-pause'))?.status).toBe('paused');
    await events.waitFor(eventOf('pause', 'core-pause'));

    await t.api.updateContainer({ id: 'core-pause', status: 'paused' });

    expect(await statusOf('core-pause')).toBe('paused');
  });

  it('UpdateContainer "running" thaws a paused container with a resume event', async () => {
    await t.start('core-resume');
    const events = await t.events();
    await t.api.updateContainer({ id: 'core-resume', status: 'paused' });

    await t.api.updateContainer({ id: 'core-resume', status: 'running' });

    expect(await statusOf('core-resume')).toBe('running');
    expect((await runcState(t.daemon.runcRoot, 'core-resume'))?.status).toBe('running');
    await events.waitFor(eventOf('resume', 'core-resume'));
  });

  it('Signal SIGKILL to the init: exit 137, then the container is gone from State, runc and its cgroup', async () => {
    const { pid } = await t.start('core-kill');
    const events = await t.events();
    const cgroup = memoryCgroupDir(t.daemon.cgroupParent, 'core-kill');
    expect(fs.existsSync(cgroup)).toBe(true); // the daemon put it under --cgroup-parent

    await t.api.signal({ id: 'core-kill', pid, signal: 9 });

    expect((await events.waitFor(exitOf('core-kill', pid))).status).toBe(137);
    // Removal may follow the event: wait for it, bounded.
    await eventually(async () => expect(await statusOf('core-kill')).toBeUndefined());
    await eventually(async () => expect(await runcState(t.daemon.runcRoot, 'core-kill')).toBeUndefined());
    await eventually(() => expect(fs.existsSync(cgroup)).toBe(false));
  });

  it('a container whose init exits at once: the reply has its pid, then exit with its exact status, and it is gone', async () => {
    const events = await t.events();
    for (const [i, code] of [5, 0, 42].entries()) {
      const id = `core-brief-${i}`;
      const { pid } = await t.start(id, ['sh', '-c', `exit ${code}`]);
      expect(pid).toBeGreaterThan(0);
      expect((await events.waitFor(exitOf(id, pid))).status).toBe(code);
      await eventually(async () => {
        expect(findContainer(await t.api.state(), id)).toBeUndefined();
        expect(await runcState(t.daemon.runcRoot, id)).toBeUndefined();
      });
    }
  });

  it('SIGKILL to a paused container ends it (exit 137) without a resume first', async () => {
    const events = await t.events();
    const { pid } = await t.start('core-paused-kill');
    await t.api.updateContainer({ id: 'core-paused-kill', status: 'paused' });

    await t.api.signal({ id: 'core-paused-kill', pid, signal: 9 });

    expect((await events.waitFor(exitOf('core-paused-kill', pid))).status).toBe(137);
    await eventually(async () => expect(findContainer(await t.api.state(), 'core-paused-kill')).toBeUndefined());
  });

  it('Signal 0 is a liveness probe: it succeeds on a live init and harms nothing', async () => {
    const { pid } = await t.start('core-probe');

    await t.api.signal({ id: 'core-probe', pid, signal: 0 });

    expect(pidAlive(pid)).toBe(true);
    expect(await statusOf('core-probe')).toBe('running');
  });

  it('stdin: what the client writes to the stdin fifo reaches the process, and closing it is EOF', async () => {
    const io = await fifos();
    const stdin = openWriter(io.stdin);
    const stdout = readAll(io.stdout);
    const events = await t.events();

    const { pid } = await t.start('core-cat', ['cat'], { stdin: io.stdin, stdout: io.stdout });
    stdin.write('ping\n');
    await stdin.close();

    expect(await stdout).toBe('ping\n');
    expect((await events.waitFor(exitOf('core-cat', pid))).status).toBe(0);
  });
});
