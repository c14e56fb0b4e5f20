import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { makeBundle } from '../helpers/bundle';
import { integrationPrerequisites } from '../helpers/ci';
import { expectCode, findContainer } from '../helpers/client';
import { useDaemon } from '../helpers/fixture';
import { memoryCgroupDir, runcState } from '../helpers/runc';
import { pidAlive } from '../helpers/wait';

const ready = integrationPrerequisites();

/** No Linux pid can be this large (pid_max is at most 2^22). */
const IMPOSSIBLE_PID = 2 ** 22 + 1;

describe.skipIf(!ready)('error codes: precise, naming the container, never crashing the daemon', () => {
  const t = useDaemon();

  /** A bundle that would start fine, so only the field under test is wrong. */
  const goodBundle = () => makeBundle(['sleep', '3600']);

  it.each([
    ['climbs out of its dir (../x)', '../x'],
    ['holds a slash (a/b)', 'a/b'],
    ['is ..', '..'],
    ['starts with -', '-lead'],
    ['is longer than 128 characters', 'x'.repeat(129)],
  ])('CreateContainer with an id that %s is INVALID_ARGUMENT', async (_what, id) => {
    const err = await expectCode(t.api.createContainer({ id, bundlePath: await goodBundle() }), grpc.status.INVALID_ARGUMENT);

    expect(err.details).toContain(id);
  });

  it('CreateContainer with an empty id is INVALID_ARGUMENT', async () => {
    await expectCode(t.api.createContainer({ id: '', bundlePath: await goodBundle() }), grpc.status.INVALID_ARGUMENT);
  });

  it('CreateContainer with a relative bundle path is INVALID_ARGUMENT', async () => {
    const bundle = path.relative(process.cwd(), await goodBundle());

    const err = await expectCode(t.api.createContainer({ id: t.track('err-relative'), bundlePath: bundle }), grpc.status.INVALID_ARGUMENT);

    expect(err.details).toContain('err-relative');
  });

  it('CreateContainer with a bundle that does not exist is NOT_FOUND', async () => {
    const err = await expectCode(
      t.api.createContainer({ id: t.track('err-nobundle'), bundlePath: '/nonexistent/legacyd/bundle' }),
      grpc.status.NOT_FOUND,
    );

    expect(err.details).toContain('err-nobundle');
  });

  it('CreateContainer with a bundle dir lacking config.json is NOT_FOUND', async () => {
    const bundle = await goodBundle();
    fs.rmSync(path.join(bundle, 'config.json'));

    const err = await expectCode(t.api.createContainer({ id: t.track('err-noconfig'), bundlePath: bundle }), grpc.status.NOT_FOUND);

    expect(err.details).toContain('err-noconfig');
  });

  it('CreateContainer with a taken id is ALREADY_EXISTS and leaves the first container alone', async () => {
    const { pid, bundle } = await t.start('err-dup');

    const err = await expectCode(t.api.createContainer({ id: 'err-dup', bundlePath: await goodBundle() }), grpc.status.ALREADY_EXISTS);

    expect(err.details).toContain('err-dup');
    expect(pidAlive(pid)).toBe(true);
    const container = findContainer(await t.api.state(), 'err-dup');
    expect(container).toMatchObject({ status: 'running', bundlePath: bundle });
    expect(container!.processes[0]!.pid).toBe(pid);
  });

  it('five creates of one id at once: one container runs, the other four are ALREADY_EXISTS', async () => {
    const id = t.track('err-race');
    const bundle = await goodBundle();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => t.api.createContainer({ id, bundlePath: bundle })));

    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.pid] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: grpc.status.ALREADY_EXISTS });
    expect(findContainer(await t.api.state(), id)?.processes.map((p) => p.pid)).toEqual(won);
    expect((await runcState(t.daemon.runcRoot, id))?.pid).toBe(won[0]);
  });

  it('a create that runc fails is INTERNAL with runc\'s message, and leaves nothing behind', async () => {
    const id = t.track('err-nobinary');
    const broken = await makeBundle(['/bin/no-such-binary']);

    const err = await expectCode(t.api.createContainer({ id, bundlePath: broken }), grpc.status.INTERNAL);

    expect(err.details).toContain(id);
    expect(err.details).toMatch(/no-such-binary/);
    expect(err.details).toMatch(/no such file or directory/i);
    expect(await runcState(t.daemon.runcRoot, id)).toBeUndefined();
    expect(findContainer(await t.api.state(), id)).toBeUndefined();
    expect(fs.existsSync(memoryCgroupDir(t.daemon.cgroupParent, id))).toBe(false);

    // The id is free again.
    const { pid } = await t.api.createContainer({ id, bundlePath: await goodBundle() });
    expect(pidAlive(pid)).toBe(true);
  });

  it('Signal to an unknown container is NOT_FOUND', async () => {
    const err = await expectCode(t.api.signal({ id: 'err-ghost', pid: 1, signal: 15 }), grpc.status.NOT_FOUND);

    expect(err.details).toContain('err-ghost');
  });

  it('Signal to a pid that is not one of the container\'s processes is NOT_FOUND', async () => {
    await t.start('err-pid');

    const err = await expectCode(t.api.signal({ id: 'err-pid', pid: IMPOSSIBLE_PID, signal: 0 }), grpc.status.NOT_FOUND);

    expect(err.details).toContain('err-pid');
  });

  it('Signal with signal 999 is INVALID_ARGUMENT and the init lives on', async () => {
    const { pid } = await t.start('err-signum');

    const err = await expectCode(t.api.signal({ id: 'err-signum', pid, signal: 999 }), grpc.status.INVALID_ARGUMENT);

    expect(err.details).toContain('err-signum');
    expect(pidAlive(pid)).toBe(true);
  });

  it('AddProcess to an unknown container is NOT_FOUND', async () => {
    const err = await expectCode(
      t.api.addProcess({ id: 'err-ghost', args: ['true'], env: ['PATH=/bin'], cwd: '/' }),
      grpc.status.NOT_FOUND,
    );

    expect(err.details).toContain('err-ghost');
  });

  it('UpdateContainer on an unknown container is NOT_FOUND', async () => {
    const err = await expectCode(t.api.updateContainer({ id: 'err-ghost', status: 'running' }), grpc.status.NOT_FOUND);

    expect(err.details).toContain('err-ghost');
  });

  it('pausing an unknown container is NOT_FOUND', async () => {
    const err = await expectCode(t.api.updateContainer({ id: 'err-ghost', status: 'paused' }), grpc.status.NOT_FOUND);

    expect(err.details).toContain('err-ghost');
  });

  it('UpdateContainer with status "bogus" is INVALID_ARGUMENT and the container keeps running', async () => {
    await t.start('err-status');

    const err = await expectCode(t.api.updateContainer({ id: 'err-status', status: 'bogus' }), grpc.status.INVALID_ARGUMENT);

    expect(err.details).toContain('err-status');
    expect(findContainer(await t.api.state(), 'err-status')?.status).toBe('running');
  });

  it('CreateCheckpoint without a checkpoint is INVALID_ARGUMENT (the original daemon crashed here)', async () => {
    await t.start('err-nockpt');

    const err = await expectCode(t.api.createCheckpoint({ id: 'err-nockpt' }), grpc.status.INVALID_ARGUMENT);

    expect(err.details).toContain('err-nockpt');
  });

  it('CreateCheckpoint with an ill-formed name is INVALID_ARGUMENT', async () => {
    await t.start('err-ckptname');

    const err = await expectCode(
      t.api.createCheckpoint({ id: 'err-ckptname', checkpoint: { name: '../escape' } }),
      grpc.status.INVALID_ARGUMENT,
    );

    expect(err.details).toContain('../escape');
  });

  it('ListCheckpoint of an unknown container is NOT_FOUND', async () => {
    const err = await expectCode(t.api.listCheckpoint({ id: 'err-ghost' }), grpc.status.NOT_FOUND);

    expect(err.details).toContain('err-ghost');
  });

  it('DeleteCheckpoint of a checkpoint that does not exist is NOT_FOUND', async () => {
    await t.start('err-delckpt');

    const err = await expectCode(t.api.deleteCheckpoint({ id: 'err-delckpt', name: 'never-made' }), grpc.status.NOT_FOUND);

    expect(err.details).toContain('never-made');
  });

  it('GetStats of an unknown container ends the stream with NOT_FOUND', async () => {
    const stream = t.api.raw.getStats({ id: 'err-ghost' }, { deadline: Date.now() + 30_000 });
    stream.on('data', () => undefined);
    stream.on('error', () => undefined); // the status below carries it

    const status = await new Promise<grpc.StatusObject>((resolve) => stream.on('status', resolve));

    expect(grpc.status[status.code]).toBe('NOT_FOUND');
    expect(status.details).toContain('err-ghost');
  });

  it('a bundle without linux.resources starts (the original daemon crashed on it)', async () => {
    const { pid } = await t.start('err-noresources', ['sleep', '3600'], {}, { noResources: true });

    expect(pidAlive(pid)).toBe(true);
    expect(findContainer(await t.api.state(), 'err-noresources')?.status).toBe('running');
  });

  it('after all of the above the daemon still answers State', async () => {
    const state = await t.api.state();

    expect(t.daemon.exited()).toBe(false);
    expect(state.machine?.cpus).toBeGreaterThan(0);
  });
});
