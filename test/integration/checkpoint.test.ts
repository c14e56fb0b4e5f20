import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { integrationPrerequisites, requireOrFail } from '../helpers/ci';
import { connect, eventOf, exitOf, expectCode, findContainer } from '../helpers/client';
import { startDaemon } from '../helpers/daemon';
import { makeBundle } from '../helpers/bundle';
import { useDaemon } from '../helpers/fixture';
import { tempDir } from '../helpers/tmp';
import { eventually, sleep } from '../helpers/wait';

const CRIU = '/opt/legacyd-criu/bin/criu';
const ready = integrationPrerequisites() && requireOrFail(`CRIU at ${CRIU} (scripts/install-criu.sh)`, fs.existsSync(CRIU));

/** State that lives only in memory and a tmpfs: a shell variable, mirrored to /tmp/counter. */
const COUNTER = ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i > /tmp/counter; sleep 0.1; done'];

describe.skipIf(!ready)('checkpoint and restore through CRIU', () => {
  const t = useDaemon();

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

  it('checkpoint keeps it running, checkpoint with exit stops it, restore continues the counter; exec and exit work after', async () => {
    const events = await t.events();
    const { pid, bundle } = await t.start('ck-count', COUNTER, {}, { tmpfsTmp: true });
    await eventually(async () => expect(await counter('ck-count')).toBeGreaterThanOrEqual(10), 15_000, 300);

    await t.api.createCheckpoint({ id: 'ck-count', checkpoint: { name: 'live', exit: false } });
    expect(findContainer(await t.api.state(), 'ck-count')?.status).toBe('running');
    expect(await events.waitFor(eventOf('checkpoint', 'ck-count'))).toMatchObject({ checkpoint: { name: 'live', exit: false } });

    const before = await counter('ck-count');
    await t.api.createCheckpoint({ id: 'ck-count', checkpoint: { name: 'final', exit: true } });
    const exit = await events.waitFor(exitOf('ck-count', pid));
    expect(events.indexOf(eventOf('checkpoint', 'ck-count'))).toBeLessThan(events.indexOf(exitOf('ck-count', pid)));
    expect(exit.status).toBe(137); // CRIU kills the dumped tasks
    await eventually(async () => expect(findContainer(await t.api.state(), 'ck-count')).toBeUndefined());

    t.track('ck-restored');
    const restored = await t.api.createContainer({ id: 'ck-restored', bundlePath: bundle, checkpoint: 'final' });
    expect(restored.pid).toBeGreaterThan(0);
    expect(restored.pid).not.toBe(pid);
    expect(await events.waitFor(eventOf('start-container', 'ck-restored'))).toMatchObject({ pid: restored.pid });

    // From where it was, not from zero (a fresh start would read 1-5 here).
    const after = await counter('ck-restored');
    expect(after).toBeGreaterThanOrEqual(before);
    await sleep(300);
    expect(await counter('ck-restored')).toBeGreaterThan(after);

    await t.api.signal({ id: 'ck-restored', pid: restored.pid, signal: 9 });
    expect((await events.waitFor(exitOf('ck-restored', restored.pid))).status).toBe(137);
  });

  it('ListCheckpoint returns names with their options; DeleteCheckpoint removes one', async () => {
    const { bundle } = await t.start('ck-list', ['sleep', '3600'], {}, { tmpfsTmp: true });
    await t.api.createCheckpoint({ id: 'ck-list', checkpoint: { name: 'a', tcp: true } });
    await t.api.createCheckpoint({ id: 'ck-list', checkpoint: { name: 'b', unixSockets: true, shell: true } });

    const { checkpoints } = await t.api.listCheckpoint({ id: 'ck-list' });
    expect(checkpoints).toEqual([
      { name: 'a', exit: false, tcp: true, unixSockets: false, shell: false },
      { name: 'b', exit: false, tcp: false, unixSockets: true, shell: true },
    ]);
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'a', 'legacyd-checkpoint.json'))).toBe(true);

    await t.api.deleteCheckpoint({ id: 'ck-list', name: 'a' });
    expect((await t.api.listCheckpoint({ id: 'ck-list' })).checkpoints.map((c) => c.name)).toEqual(['b']);
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'a'))).toBe(false);
  });

  it('error codes: taken name, bad name, missing message, missing checkpoint to restore or delete; the daemon stays up', async () => {
    const { bundle } = await t.start('ck-err', ['sleep', '3600'], {}, { tmpfsTmp: true });
    await t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: 'one' } });

    expect((await expectCode(t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: 'one' } }), grpc.status.ALREADY_EXISTS)).details).toContain('one');
    await expectCode(t.api.createCheckpoint({ id: 'ck-err', checkpoint: { name: '../x' } }), grpc.status.INVALID_ARGUMENT);
    await expectCode(t.api.createCheckpoint({ id: 'ck-err' }), grpc.status.INVALID_ARGUMENT);
    await expectCode(t.api.deleteCheckpoint({ id: 'ck-err', name: 'nope' }), grpc.status.NOT_FOUND);
    await expectCode(t.api.listCheckpoint({ id: 'ck-nobody' }), grpc.status.NOT_FOUND);
    t.track('ck-err-restore');
    await expectCode(t.api.createContainer({ id: 'ck-err-restore', bundlePath: bundle, checkpoint: 'nope' }), grpc.status.NOT_FOUND);
    // nothing half-made: the id is free, runc does not know it, and no image dir appeared
    expect(findContainer(await t.api.state(), 'ck-err-restore')).toBeUndefined();
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'nope'))).toBe(false);
    expect(findContainer(await t.api.state(), 'ck-err')?.status).toBe('running');
  });

  it('a failing CRIU leaves the container running and no partial checkpoint directory', async () => {
    // A CRIU that passes `criu check` but fails every dump.
    const dir = await tempDir('legacyd-badcriu');
    const fake = path.join(dir, 'criu');
    fs.writeFileSync(fake, '#!/bin/sh\nif [ "$1" = check ]; then echo "Looks good."; exit 0; fi\necho "Error (criu/cr-dump.c): deliberately broken" >&2\nexit 1\n', { mode: 0o755 });
    const d = await startDaemon({ extraArgs: ['--criu', fake] });
    const api = connect(d.address);
    try {
      const b = await makeBundle(['sleep', '3600'], { tmpfsTmp: true });
      const { pid } = await api.createContainer({ id: 'ck-fail', bundlePath: b });

      const err = await expectCode(api.createCheckpoint({ id: 'ck-fail', checkpoint: { name: 'broken' } }), grpc.status.INTERNAL);
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

  it('without a working CRIU the checkpoint calls say FAILED_PRECONDITION and the rest works', async () => {
    const d = await startDaemon({ extraArgs: ['--criu', '/nonexistent/criu'] });
    const api = connect(d.address);
    try {
      const b = await makeBundle(['sleep', '3600']);
      await api.createContainer({ id: 'ck-nocriu', bundlePath: b });
      const err = await expectCode(api.createCheckpoint({ id: 'ck-nocriu', checkpoint: { name: 'x' } }), grpc.status.FAILED_PRECONDITION);
      expect(err.details).toContain('CRIU');
      expect(findContainer(await api.state(), 'ck-nocriu')?.status).toBe('running');
    } finally {
      api.close();
      await d.destroy();
    }
  });
});
