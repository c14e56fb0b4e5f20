/** Against the real runc on this machine (1.1.5 at /usr/sbin/runc); needs root. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isNotExistError,
  isNotPausedError,
  isNotRunningError,
  renderProcessSpec,
  Runc,
  RuncError,
  writeProcessSpec,
} from '../../../src/runtime';

const RUNC = '/usr/sbin/runc';
const MAKE_BUNDLE = resolve(__dirname, '../../../scripts/make-bundle.sh');
const canRun = existsSync(RUNC) && process.getuid?.() === 0;

async function failure(p: Promise<unknown>): Promise<RuncError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RuncError);
    return e as RuncError;
  }
  throw new Error('expected a RuncError');
}

/** Runs a foreground runc command like legacyd's monitor would; resolves with its exit status. */
function monitor(cmd: { file: string; args: string[] }): { child: ChildProcess; exited: Promise<number> } {
  const child = spawn(cmd.file, cmd.args, { stdio: 'ignore', detached: true });
  const exited = new Promise<number>((res) => child.on('exit', (code, sig) => res(code ?? 128 + (sig ? constants.signals[sig] : 0))));
  return { child, exited };
}

async function waitFor(file: string, ms = 10_000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (existsSync(file)) {
      const t = readFileSync(file, 'utf8').trim();
      if (t !== '') return t;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${file}`);
}

describe.skipIf(!canRun)('real runc', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'legacyd-runc-real-'));
  const root = join(tmp, 'root');
  const runc = new Runc({ binary: RUNC, root, timeoutMs: 30_000 });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('version()', async () => {
    const v = await runc.version();
    expect(v.runc).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.spec).toMatch(/^1\./);
  });

  it('list() on a fresh root is []', async () => {
    await expect(runc.list()).resolves.toEqual([]);
  });

  it("state('nope') rejects with a not-found RuncError", async () => {
    const e = await failure(runc.state('nope'));
    expect(e.exitCode).toBe(1);
    expect(e.detail).toBe('container does not exist');
    expect(e.message).toBe('runc state nope failed (exit 1): container does not exist');
    expect(isNotExistError(e)).toBe(true);
  });

  it('with a json --log file, the reason is still read', async () => {
    const logged = runc.with({ log: join(tmp, 'runc.log'), logFormat: 'json' });
    const e = await failure(logged.kill('nope', 0));
    expect(isNotExistError(e)).toBe(true);
    expect(readFileSync(join(tmp, 'runc.log'), 'utf8')).toContain('"msg":"container does not exist"');
  });
});

describe.skipIf(!canRun)('real runc, live container', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'legacyd-runc-live-'));
  const root = join(tmp, 'root');
  const bundle = join(tmp, 'bundle');
  // Unique: without a cgroupsPath, runc puts the cgroup at /<id>, shared by every --root on the host.
  const id = `lgd-rt-${process.pid}-${Date.now().toString(36)}`;
  const runc = new Runc({ binary: RUNC, root, timeoutMs: 30_000 });
  let init: { child: ChildProcess; exited: Promise<number> } | undefined;
  let pid = 0;

  beforeAll(async () => {
    const made = spawnSync(MAKE_BUNDLE, [bundle, 'sleep', '300'], { encoding: 'utf8', env: { ...process.env, RUNC } });
    if (made.status !== 0) throw new Error(`make-bundle.sh failed: ${made.stderr}`);
    init = monitor(runc.runCommand(id, { bundle, pidFile: join(tmp, 'init.pid'), keep: true }));
    pid = Number(await waitFor(join(tmp, 'init.pid')));
  });

  afterAll(async () => {
    await runc.delete(id, { force: true }).catch(() => undefined);
    if (init && init.child.exitCode === null) init.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('state is running with the pid-file pid', async () => {
    const s = await runc.state(id);
    expect(s).toMatchObject({ id, pid, status: 'running', bundle, rootfs: join(bundle, 'rootfs') });
    expect(s.created).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('list shows it', async () => {
    expect((await runc.list()).map((c) => [c.id, c.status])).toEqual([[id, 'running']]);
  });

  it('ps gives the init pid', async () => {
    expect(await runc.ps(id)).toEqual([pid]);
  });

  it('kill with signal 0 succeeds on a running container', async () => {
    await expect(runc.kill(id, 0)).resolves.toBeUndefined();
  });

  it('exec runs a process from a rendered process.json in the foreground, exit status kept', async () => {
    const file = join(tmp, 'p1.json');
    await writeProcessSpec(file, renderProcessSpec({ args: ['sh', '-c', 'exit 7'] }));
    const p = monitor(runc.execCommand(id, { processJsonPath: file, pidFile: join(tmp, 'p1.pid') }));
    expect(await p.exited).toBe(7);
  });

  it('pause, then pause again is "not running"; resume, then resume again is "not paused"', async () => {
    await runc.pause(id);
    expect((await runc.state(id)).status).toBe('paused');
    await expect(runc.kill(id, 0)).resolves.toBeUndefined();
    const again = await failure(runc.pause(id));
    expect(again.message).toBe(`runc pause ${id} failed (exit 1): container not running`);
    expect(isNotRunningError(again)).toBe(true);
    await runc.resume(id);
    expect((await runc.state(id)).status).toBe('running');
    const resumeAgain = await failure(runc.resume(id));
    expect(isNotPausedError(resumeAgain)).toBe(true);
  });

  it('delete without force refuses a running container', async () => {
    const e = await failure(runc.delete(id));
    expect(e.detail).toBe(`cannot delete container ${id} that is not stopped: running`);
  });

  it('kill 9 ends foreground run with 137; the kept container is stopped; kill 0 is then "not running"; delete', async () => {
    await runc.kill(id, 9);
    expect(await init!.exited).toBe(137);
    const s = await runc.state(id);
    expect(s).toMatchObject({ status: 'stopped', pid: 0 });
    expect(await runc.ps(id)).toEqual([]);
    expect(isNotRunningError(await failure(runc.kill(id, 0)))).toBe(true);
    await runc.delete(id);
    expect(isNotExistError(await failure(runc.state(id)))).toBe(true);
    await expect(runc.list()).resolves.toEqual([]);
  });
});
