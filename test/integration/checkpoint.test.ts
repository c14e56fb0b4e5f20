import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { beforeEach, describe, expect, it } from 'vitest';
import { integrationPrerequisites, requireOrFail } from '../helpers/ci';
import { connect, eventOf, exitOf, expectCode, findContainer, type ApiClient } from '../helpers/client';
import { startDaemon } from '../helpers/daemon';
import { makeBundle } from '../helpers/bundle';
import { useDaemon } from '../helpers/fixture';
import { tempDir } from '../helpers/tmp';
import { freePort } from '../helpers/ports';
import { eventually, sleep } from '../helpers/wait';

const CRIU = '/opt/legacyd-criu/bin/criu';
const ready = integrationPrerequisites() && requireOrFail(`CRIU at ${CRIU} (scripts/install-criu.sh)`, fs.existsSync(CRIU));

/** State that lives only in memory and a tmpfs: a shell variable, mirrored to /tmp/counter. */
const COUNTER = ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i > /tmp/counter; sleep 0.1; done'];

/** An established TCP connection inside the container (loopback): CRIU refuses it without --tcp-established. */
const TCP_PAIR = ['sh', '-c', '(sleep 3600 | nc -l -p 9000 >/dev/null) & sleep 0.3; sleep 3600 | nc 127.0.0.1 9000 >/dev/null'];

describe.skipIf(!ready)('checkpoint and restore through CRIU', () => {
  const t = useDaemon();

  // The restart test below must not leave a dead daemon to the next one.
  beforeEach(async () => {
    if (t.daemon.exited()) t.use(await t.daemon.restart());
  });

  /** Runs `args` in the container, returns its stdout once its exit event came. */
  async function execOut(id: string, args: string[]): Promise<{ out: string; status: number }> {
    const events = await t.events();
    const out = path.join(await tempDir('legacyd-ckout'), 'out');
    const { pid } = await t.api.addProcess({ id, args, stdout: out });
    const exit = await events.waitFor(exitOf(id, pid));
    return { out: fs.readFileSync(out, 'utf8'), status: exit.status };
  }

  async function counter(id: string): Promise<number> {
    const { out, status } = await execOut(id, ['cat', '/tmp/counter']);
    expect(status).toBe(0);
    return Number(out.trim());
  }

  /** The daemon still answers (after a malformed request). */
  async function alive(api: ApiClient = t.api): Promise<void> {
    await expect(api.state()).resolves.toBeDefined();
  }

  it('finds the working CRIU at start and says so', () => {
    expect(t.daemon.stderr()).toMatch(/msg="checkpoints enabled" criu=\/opt\/legacyd-criu\/bin\/criu/);
  });

  it('checkpoint keeps it running, checkpoint with exit stops it, restore continues the counter; exec and exit work after', async () => {
    const events = await t.events();
    const { pid, bundle } = await t.start('ck-count', COUNTER, {}, { tmpfsTmp: true });
    await eventually(async () => expect(await counter('ck-count')).toBeGreaterThanOrEqual(10), 15_000, 300);

    await t.api.createCheckpoint({ id: 'ck-count', checkpoint: { name: 'live', exit: false } });
    expect(findContainer(await t.api.state(), 'ck-count')?.status).toBe('running');
    expect(await events.waitFor(eventOf('checkpoint', 'ck-count'))).toMatchObject({ pid, checkpoint: { name: 'live', exit: false } });
    await sleep(300);
    const before = await counter('ck-count');

    // An exec process is not part of the checkpoint; the dump with exit stops it with the init.
    const exec = await t.api.addProcess({ id: 'ck-count', args: ['sleep', '300'] });
    await t.api.createCheckpoint({ id: 'ck-count', checkpoint: { name: 'final', exit: true } });
    // The reply comes once the container is gone: State no longer lists it.
    expect(findContainer(await t.api.state(), 'ck-count')).toBeUndefined();
    const exit = await events.waitFor(exitOf('ck-count', pid));
    expect(exit.status).toBe(137); // CRIU kills the dumped tasks
    await events.waitFor(exitOf('ck-count', exec.pid));
    const finalEvent = events.indexOf((ev) => ev.type === 'checkpoint' && ev.checkpoint?.name === 'final');
    expect(finalEvent).toBeGreaterThanOrEqual(0);
    expect(finalEvent).toBeLessThan(events.indexOf(exitOf('ck-count', pid)));
    expect(finalEvent).toBeLessThan(events.indexOf(exitOf('ck-count', exec.pid)));

    t.track('ck-restored');
    const restored = await t.api.createContainer({ id: 'ck-restored', bundlePath: bundle, checkpoint: 'final' });
    expect(restored.pid).toBeGreaterThan(0);
    expect(restored.pid).not.toBe(pid);
    expect(await events.waitFor(eventOf('start-container', 'ck-restored'))).toMatchObject({ pid: restored.pid, bundlePath: bundle });
    expect(findContainer(await t.api.state(), 'ck-restored')).toMatchObject({ status: 'running', processes: [{ pid: restored.pid }] });

    // From where it was, not from zero (a fresh start would read 1-5 here).
    const after = await counter('ck-restored');
    expect(after).toBeGreaterThanOrEqual(before);
    await sleep(300);
    expect(await counter('ck-restored')).toBeGreaterThan(after);

    await t.api.signal({ id: 'ck-restored', pid: restored.pid, signal: 9 });
    expect((await events.waitFor(exitOf('ck-restored', restored.pid))).status).toBe(137);
    await eventually(async () => expect(findContainer(await t.api.state(), 'ck-restored')).toBeUndefined());
  });

  it('a restore under the checkpointed id right after the reply; the restored container survives a daemon kill -9', async () => {
    const { bundle } = await t.start('ck-same', COUNTER, {}, { tmpfsTmp: true });
    await eventually(async () => expect(await counter('ck-same')).toBeGreaterThanOrEqual(5), 15_000, 300);
    await t.api.createCheckpoint({ id: 'ck-same', checkpoint: { name: 'move', exit: true } });
    const { pid } = await t.api.createContainer({ id: 'ck-same', bundlePath: bundle, checkpoint: 'move' });
    expect(await counter('ck-same')).toBeGreaterThanOrEqual(5);

    await t.daemon.kill9();
    t.use(await t.daemon.restart());
    expect(findContainer(await t.api.state(), 'ck-same')).toMatchObject({ status: 'running', processes: [{ pid }] });
    const events = await t.events();
    await t.api.signal({ id: 'ck-same', pid, signal: 9 });
    expect((await events.waitFor(exitOf('ck-same', pid))).status).toBe(137);
    // the bundle's checkpoints outlive the container
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'move', 'legacyd-checkpoint.json'))).toBe(true);
  });

  it('ListCheckpoint returns names with their options; DeleteCheckpoint removes one', async () => {
    const { bundle } = await t.start('ck-list', ['sleep', '3600'], {}, { tmpfsTmp: true });
    await t.api.createCheckpoint({ id: 'ck-list', checkpoint: { name: 'a', unixSockets: true } });
    await t.api.createCheckpoint({ id: 'ck-list', checkpoint: { name: 'b', unixSockets: true, shell: true } });
    // Images made by another tool (no legacyd-checkpoint.json) are listed with default options.
    fs.cpSync(path.join(bundle, 'checkpoints', 'a'), path.join(bundle, 'checkpoints', 'c-foreign'), { recursive: true });
    fs.rmSync(path.join(bundle, 'checkpoints', 'c-foreign', 'legacyd-checkpoint.json'));

    const { checkpoints } = await t.api.listCheckpoint({ id: 'ck-list' });
    expect(checkpoints).toEqual([
      { name: 'a', exit: false, tcp: false, unixSockets: true, shell: false },
      { name: 'b', exit: false, tcp: false, unixSockets: true, shell: true },
      { name: 'c-foreign', exit: false, tcp: false, unixSockets: false, shell: false },
    ]);
    const stored = JSON.parse(fs.readFileSync(path.join(bundle, 'checkpoints', 'a', 'legacyd-checkpoint.json'), 'utf8'));
    expect(Date.now() - Date.parse(stored.created)).toBeLessThan(60_000);
    expect(fs.statSync(path.join(bundle, 'checkpoints', 'a')).mode & 0o777).toBe(0o755);

    await t.api.deleteCheckpoint({ id: 'ck-list', name: 'a' });
    expect((await t.api.listCheckpoint({ id: 'ck-list' })).checkpoints.map((c) => c.name)).toEqual(['b', 'c-foreign']);
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'a'))).toBe(false);
  });

  it('error codes for every malformed or impossible request; the daemon answers after each', async () => {
    const { bundle } = await t.start('ck-err', ['sleep', '3600'], {}, { tmpfsTmp: true });
    await t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: 'one' } });
    const cases: Array<[string, () => Promise<unknown>, grpc.status, string?]> = [
      ['taken name', () => t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: 'one' } }), grpc.status.ALREADY_EXISTS, 'one'],
      ['name with ..', () => t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: '../x' } }), grpc.status.INVALID_ARGUMENT],
      ['name with /', () => t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: 'a/b' } }), grpc.status.INVALID_ARGUMENT],
      ['empty name', () => t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: '' } }), grpc.status.INVALID_ARGUMENT],
      ['missing checkpoint message', () => t.api.createCheckpoint({ id: 'ck-err' }), grpc.status.INVALID_ARGUMENT, 'checkpoint message'],
      ['empty id', () => t.api.createCheckpoint({ id: '', checkpoint: { name: 'x' } }), grpc.status.INVALID_ARGUMENT],
      ['unknown container', () => t.api.createCheckpoint({ id: 'ck-nobody', checkpoint: { name: 'x' } }), grpc.status.NOT_FOUND, 'ck-nobody'],
      ['delete absent', () => t.api.deleteCheckpoint({ id: 'ck-err', name: 'nope' }), grpc.status.NOT_FOUND, 'nope'],
      ['delete bad name', () => t.api.deleteCheckpoint({ id: 'ck-err', name: '..' }), grpc.status.INVALID_ARGUMENT],
      ['delete empty name', () => t.api.deleteCheckpoint({ id: 'ck-err', name: '' }), grpc.status.INVALID_ARGUMENT],
      ['delete, unknown container', () => t.api.deleteCheckpoint({ id: 'ck-nobody', name: 'one' }), grpc.status.NOT_FOUND],
      ['list, unknown container', () => t.api.listCheckpoint({ id: 'ck-nobody' }), grpc.status.NOT_FOUND, 'ck-nobody'],
      ['list, empty id', () => t.api.listCheckpoint({ id: '' }), grpc.status.INVALID_ARGUMENT],
    ];
    for (const [what, call, code, inDetails] of cases) {
      const err = await expectCode(call(), code).catch((e: Error) => {
        throw new Error(`${what}: ${e.message}`);
      });
      if (inDetails) expect(err.details, what).toContain(inDetails);
      await alive();
    }
    // Restore from a missing or ill-named checkpoint: nothing half-made (id free, no runc container, no image dir).
    t.track('ck-err-restore');
    await expectCode(t.api.createContainer({ id: 'ck-err-restore', bundlePath: bundle, checkpoint: 'nope' }), grpc.status.NOT_FOUND);
    await expectCode(t.api.createContainer({ id: 'ck-err-restore', bundlePath: bundle, checkpoint: '../one' }), grpc.status.INVALID_ARGUMENT);
    expect(findContainer(await t.api.state(), 'ck-err-restore')).toBeUndefined();
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'nope'))).toBe(false);
    expect(fs.existsSync(path.join(t.daemon.stateDir, 'containers', 'ck-err-restore'))).toBe(false);
    expect(fs.readdirSync(t.daemon.runcRoot)).not.toContain('ck-err-restore');
    expect(findContainer(await t.api.state(), 'ck-err')?.status).toBe('running');
    // A checkpoint of a paused container leaves it paused.
    await t.api.updateContainer({ id: 'ck-err', status: 'paused' });
    await t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: 'paused' } });
    expect(findContainer(await t.api.state(), 'ck-err')?.status).toBe('paused');
  });

  it('a dump CRIU refuses (established TCP without tcp) leaves the container running, no partial directory, CRIU\'s reason in the error', async () => {
    const events = await t.events();
    const { pid, bundle } = await t.start('ck-tcp', TCP_PAIR, {}, { tmpfsTmp: true });
    await eventually(async () => {
      const { out } = await execOut('ck-tcp', ['netstat', '-tn']);
      expect(out).toContain('ESTABLISHED');
    }, 10_000, 200);

    const err = await expectCode(t.api.createCheckpoint({ id: 'ck-tcp', checkpoint: { name: 'refused', exit: true } }), grpc.status.INTERNAL);
    expect(err.details).toContain('container ck-tcp: checkpoint refused failed');
    expect(err.details).toMatch(/criu: .*Connected TCP socket, consider using --tcp-established/);
    expect(err.details).not.toContain('RLIMIT_NOFILE');
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'refused'))).toBe(false);
    expect(fs.readdirSync(path.join(t.daemon.stateDir, 'containers', 'ck-tcp')).filter((f) => f.startsWith('checkpoint-work'))).toEqual([]);

    const c = findContainer(await t.api.state(), 'ck-tcp');
    expect(c?.status).toBe('running');
    expect(c?.processes[0]?.pid).toBe(pid);
    const { out } = await execOut('ck-tcp', ['netstat', '-tn']);
    expect(out).toContain('ESTABLISHED'); // its connection is untouched
    await sleep(300);
    expect(events.indexOf(exitOf('ck-tcp', pid))).toBe(-1);
    expect(events.indexOf(eventOf('checkpoint', 'ck-tcp'))).toBe(-1);
  });

  it('a broken CRIU binary: INTERNAL, the container keeps running, no partial checkpoint directory', async () => {
    // A CRIU that passes `criu check` but fails everything else (runc's swrk, version query, dump).
    const dir = await tempDir('legacyd-badcriu');
    const fake = path.join(dir, 'criu');
    fs.writeFileSync(fake, '#!/bin/sh\nif [ "$1" = check ]; then echo "Looks good."; exit 0; fi\necho "Error (criu/cr-dump.c): deliberately broken" >&2\nexit 1\n', { mode: 0o755 });
    const d = await startDaemon({ extraArgs: ['--criu', fake] });
    const api = connect(d.address);
    try {
      const b = await makeBundle(['sleep', '3600'], { tmpfsTmp: true });
      const { pid } = await api.createContainer({ id: 'ck-fail', bundlePath: b });

      const err = await expectCode(api.createCheckpoint({ id: 'ck-fail', checkpoint: { name: 'broken', exit: true } }), grpc.status.INTERNAL);
      expect(err.details).toContain('ck-fail');
      expect(fs.existsSync(path.join(b, 'checkpoints', 'broken'))).toBe(false);
      const c = findContainer(await api.state(), 'ck-fail');
      expect(c?.status).toBe('running');
      expect(c?.processes[0]?.pid).toBe(pid);
    } finally {
      api.close();
      await d.destroy();
    }
  });

  it('without a working CRIU: a log line, the health field, FAILED_PRECONDITION from the checkpoint calls, and the rest works', async () => {
    const port = await freePort();
    const d = await startDaemon({ extraArgs: ['--criu', '/nonexistent/criu', '--metrics-listen', `127.0.0.1:${port}`] });
    const api = connect(d.address);
    try {
      expect(d.stderr()).toMatch(/level=warn msg="checkpoints disabled: no working CRIU" reason=.*\/nonexistent\/criu: not found/);
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; checkpoints: string };
      expect(health.status).toBe('ok');
      expect(health.checkpoints).toMatch(/^unavailable: .*\/nonexistent\/criu: not found/);

      const b = await makeBundle(['sleep', '3600']);
      const { pid } = await api.createContainer({ id: 'ck-nocriu', bundlePath: b });
      const err = await expectCode(api.createCheckpoint({ id: 'ck-nocriu', checkpoint: { name: 'x' } }), grpc.status.FAILED_PRECONDITION);
      expect(err.details).toContain('CRIU');
      await expectCode(api.createContainer({ id: 'ck-nocriu-2', bundlePath: b, checkpoint: 'x' }), grpc.status.FAILED_PRECONDITION);
      expect(fs.existsSync(path.join(b, 'checkpoints'))).toBe(false);
      // List and Delete only read the bundle: they answer without CRIU.
      expect((await api.listCheckpoint({ id: 'ck-nocriu' })).checkpoints).toEqual([]);
      const c = findContainer(await api.state(), 'ck-nocriu');
      expect(c?.status).toBe('running');
      await api.signal({ id: 'ck-nocriu', pid, signal: 9 });
    } finally {
      api.close();
      await d.destroy();
    }
  });
});
