import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLegacydError, notFound, type ErrorKind } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import { OPTIONS_FILE } from '../../../src/supervisor/checkpoint-store';
import {
  CheckpointOps,
  checkpointFlags,
  checkpointFromRequest,
  FAILED_DUMP_LOG,
  restoreFlags,
} from '../../../src/supervisor/checkpoints';
import { ContainerEntry } from '../../../src/supervisor/container-entry';
import type { DomainEvent } from '../../../src/supervisor/events';
import { ProcessEntry } from '../../../src/supervisor/process-entry';
import type { CheckpointFlags, RuntimePort } from '../../../src/supervisor/runtime-port';
import { StateDir } from '../../../src/supervisor/state-dir';

const ALL_OFF = { exit: false, tcp: false, unixSockets: false, shell: false };

async function kindOf(p: Promise<unknown>): Promise<ErrorKind | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isLegacydError(e)) return e.kind;
    throw e;
  }
}

describe('CreateCheckpoint request → options → runc flags', () => {
  it('a missing checkpoint message is INVALID_ARGUMENT (the 2015 original crashed)', () => {
    for (const req of [null, undefined]) {
      expect(() => checkpointFromRequest('c1', req)).toThrow(/c1: CreateCheckpoint needs a checkpoint message/);
    }
  });

  it('names are checked like ids; unset booleans are false', () => {
    expect(checkpointFromRequest('c1', { name: 'cp.1' })).toEqual({ name: 'cp.1', ...ALL_OFF });
    for (const name of ['', '../x', 'a/b', '.hidden', '..']) {
      expect(() => checkpointFromRequest('c1', { name }), name).toThrow(/checkpoint name/);
    }
  });

  it('exit=false leaves the container running; tcp, unixSockets and shell map one to one', () => {
    expect(checkpointFlags({ name: 'n', ...ALL_OFF })).toEqual({ leaveRunning: true, tcpEstablished: false, extUnixSk: false, shellJob: false });
    expect(checkpointFlags({ name: 'n', exit: true, tcp: true, unixSockets: true, shell: true })).toEqual({
      leaveRunning: false,
      tcpEstablished: true,
      extUnixSk: true,
      shellJob: true,
    });
  });

  it('restore repeats tcp and unix-socket flags but never --shell-job (fails without a terminal)', () => {
    expect(restoreFlags({ name: 'n', exit: true, tcp: true, unixSockets: true, shell: true })).toEqual({ tcpEstablished: true, extUnixSk: true, shellJob: false });
  });
});

/** A runtime whose checkpoint writes a dump.log and fails, or writes an image and succeeds. */
class FakeRuntime implements Partial<RuntimePort> {
  calls: Array<{ id: string; imagePath: string; workPath: string } & CheckpointFlags> = [];
  fail = false;
  async checkpoint(id: string, o: { imagePath: string; workPath: string } & CheckpointFlags): Promise<void> {
    this.calls.push({ id, ...o });
    fs.writeFileSync(path.join(o.imagePath, 'pages-1.img'), 'x');
    if (this.fail) {
      const log = path.join(o.workPath, 'dump.log');
      fs.writeFileSync(log, [
        '(00.000010) Error (criu/util.c:1): Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
        '(00.010000) Error (criu/sk-unix.c:2): unix: Unix socket 4242 not found',
        '(00.020000) Error (criu/cr-dump.c:3): Dumping FAILED.',
      ].join('\n'));
      throw new Error(`runc checkpoint ${id} failed (exit 1): criu failed: type NOTIFY errno 0\nlog file: ${log}`);
    }
  }
}

describe('CheckpointOps against a fake runtime', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function setup(criuOk = true) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-ckops-'));
    dirs.push(root);
    const bundle = path.join(root, 'bundle');
    fs.mkdirSync(bundle);
    const stateDir = new StateDir(path.join(root, 'state'));
    fs.mkdirSync(stateDir.processDir('c1', 'init'), { recursive: true });
    const init = new ProcessEntry({ key: 'init', kind: 'init', terminal: false, user: { uid: 0, gid: 0, additionalGids: [] }, args: ['sleep'], env: [], cwd: '/', stdio: {} as never }, stateDir.processDir('c1', 'init'));
    init.pid = 4242;
    init.status = 'running';
    const entry = new ContainerEntry({ id: 'c1', bundlePath: bundle, runtimeBundle: bundle, image: '', annotations: {}, cgroupsPath: '/x/c1', createdAt: '' }, init);
    entry.apply('start');
    const runtime = new FakeRuntime();
    const events: DomainEvent[] = [];
    const ops = new CheckpointOps({
      runtime: runtime as unknown as RuntimePort,
      stateDir,
      criu: criuOk ? { ok: true, path: '/criu', reason: '' } : { ok: false, path: '/criu', reason: '/criu: not found' },
      log: silentLogger,
      publish: (ev) => events.push(ev),
      lookup: (id) => {
        if (id !== 'c1') throw notFound(`container ${id} not found`);
        return entry;
      },
    });
    return { bundle, stateDir, runtime, events, ops, entry };
  }

  it('a dump records its options beside the images and emits `checkpoint`', async () => {
    const { bundle, runtime, events, ops, stateDir } = setup();
    await ops.create('c1', { name: 'one', tcp: true });
    expect(runtime.calls).toEqual([
      expect.objectContaining({ id: 'c1', imagePath: path.join(bundle, 'checkpoints', 'one'), leaveRunning: true, tcpEstablished: true, extUnixSk: false, shellJob: false }),
    ]);
    const stored = JSON.parse(fs.readFileSync(path.join(bundle, 'checkpoints', 'one', OPTIONS_FILE), 'utf8'));
    expect(stored).toMatchObject({ name: 'one', exit: false, tcp: true, unixSockets: false, shell: false });
    expect(Date.parse(stored.created)).toBeGreaterThan(0);
    expect(events).toEqual([{ type: 'checkpoint', id: 'c1', pid: 4242, checkpoint: { name: 'one', exit: false, tcp: true, unixSockets: false, shell: false } }]);
    // the work dir (dump.log) is the daemon's, not the bundle's, and is gone afterwards
    expect(fs.readdirSync(stateDir.containerDir('c1'))).toEqual(['processes']);
    expect((await ops.list('c1')).map(({ created, ...o }) => o)).toEqual([{ name: 'one', exit: false, tcp: true, unixSockets: false, shell: false }]);
  });

  it('a failed dump removes the partial images and says what CRIU said; the log is kept', async () => {
    const { bundle, runtime, events, ops, stateDir, entry } = setup();
    runtime.fail = true;
    let msg = '';
    try {
      await ops.create('c1', { name: 'bad', exit: true });
    } catch (e) {
      expect(isLegacydError(e) && e.kind).toBe('internal');
      msg = (e as Error).message;
    }
    expect(msg).toContain('container c1: checkpoint bad failed');
    expect(msg).toContain('Unix socket 4242 not found');
    expect(msg).not.toContain('RLIMIT_NOFILE');
    const kept = path.join(stateDir.containerDir('c1'), FAILED_DUMP_LOG);
    expect(msg).toContain(`log file: ${kept}`);
    expect(fs.readFileSync(kept, 'utf8')).toContain('Dumping FAILED');
    expect(fs.existsSync(path.join(bundle, 'checkpoints', 'bad'))).toBe(false);
    expect(events).toEqual([]);
    expect(entry.status).toBe('running');
    expect(entry.exitHold).toBeUndefined();
  });

  it('error codes: taken name, unknown container, absent checkpoint, no CRIU, stopped container', async () => {
    const { ops, entry } = setup();
    await ops.create('c1', { name: 'one' });
    expect(await kindOf(ops.create('c1', { name: 'one' }))).toBe('already-exists');
    expect(await kindOf(ops.create('c1', null))).toBe('invalid-argument');
    expect(await kindOf(ops.create('nobody', { name: 'x' }))).toBe('not-found');
    expect(await kindOf(ops.list('nobody'))).toBe('not-found');
    expect(await kindOf(ops.list(''))).toBe('invalid-argument');
    expect(await kindOf(ops.delete('c1', 'absent'))).toBe('not-found');
    expect(await kindOf(ops.delete('c1', '../one'))).toBe('invalid-argument');
    expect(await kindOf(ops.delete('nobody', 'one'))).toBe('not-found');
    expect(await kindOf(ops.forRestore('c2', entry.record.bundlePath, 'absent'))).toBe('not-found');
    expect(await kindOf(ops.delete('c1', 'one'))).toBe('ok');
    expect(await ops.list('c1')).toEqual([]);
    entry.apply('stop');
    expect(await kindOf(ops.create('c1', { name: 'late' }))).toBe('failed-precondition');

    const off = setup(false).ops;
    expect(await kindOf(off.create('c1', { name: 'x' }))).toBe('failed-precondition');
    expect(await kindOf(off.forRestore('c2', entry.record.bundlePath, 'x'))).toBe('failed-precondition');
  });

  it('restore reads the recorded options, or defaults for images made by other tools', async () => {
    const { bundle, ops } = setup();
    await ops.create('c1', { name: 'mine', unixSockets: true });
    fs.writeFileSync(path.join(bundle, 'checkpoints', 'mine', 'descriptors.json'), '[]');
    fs.mkdirSync(path.join(bundle, 'checkpoints', 'foreign'));
    fs.writeFileSync(path.join(bundle, 'checkpoints', 'foreign', 'descriptors.json'), '[]');
    expect(await ops.forRestore('c2', bundle, 'mine')).toMatchObject({ imagePath: path.join(bundle, 'checkpoints', 'mine'), options: { unixSockets: true } });
    expect((await ops.forRestore('c2', bundle, 'foreign')).options).toMatchObject({ name: 'foreign', ...ALL_OFF });
  });
});
