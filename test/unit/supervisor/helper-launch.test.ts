import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_STDERR, nodeLauncher, Runc, RuncError, type CommandLauncher } from '../../../src/runtime';
import { HelperSpawner, type HelperOptions } from '../../../src/supervisor/helper-spawner';
import { mustBeBuilt } from '../../helpers/native';
import { FakeRuncDir } from '../runtime/fake-runc';
import { statOf } from '../../helpers/proc';

const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-scratch-'));
const fakes = new FakeRuncDir();
const helpers: HelperSpawner[] = [];
function helper(opts: HelperOptions = {}): HelperSpawner {
  const h = new HelperSpawner({ scratchDir, ...opts });
  helpers.push(h);
  return h;
}
const native: HelperOptions = { native: mustBeBuilt() };
const perlShared = helper();
const nativeShared = helper(native);
afterAll(() => {
  for (const h of helpers) h.close();
  fs.rmSync(scratchDir, { recursive: true, force: true });
  fakes.cleanup();
});

/** Parent pid of a live process, from /proc/<pid>/stat. */
function parentOf(pid: number): number {
  return Number(statOf(pid)[1]);
}

// The daemon's runc verbs go through the helper; Node's spawn is the fallback. Both must agree.
describe.each<[string, CommandLauncher]>([
  ['the perl helper', perlShared],
  ['the native helper', nativeShared],
  ['Node spawn', nodeLauncher],
])('running a command to completion through %s', (_name, launcher) => {
  it('runs the argv exactly and returns its exit code, stdout and stderr', async () => {
    const args = ['-c', 'printf "%s|" "$@"; echo oops >&2; exit 3', 'sh', 'two words', '$(touch /tmp/pwned-launch)', 'ünï'];
    const r = await launcher.launch('/bin/sh', args, undefined);
    expect(r).toEqual({ code: 3, signal: null, stdout: 'two words|$(touch /tmp/pwned-launch)|ünï|', stderr: 'oops\n', timedOut: false });
    expect(fs.existsSync('/tmp/pwned-launch')).toBe(false);
  });

  it('a command killed by a signal reports the signal by name', async () => {
    const r = await launcher.launch('/bin/sh', ['-c', 'kill -TERM $$'], undefined);
    expect(r).toMatchObject({ code: null, signal: 'SIGTERM', timedOut: false });
  });

  it('a timeout kills the command and what it started (its process group)', async () => {
    const marker = path.join(scratchDir, `grandchild-${launcher === nodeLauncher ? 'node' : launcher === perlShared ? 'perl' : 'native'}`);
    const started = Date.now();
    const r = await launcher.launch('/bin/sh', ['-c', 'sleep 30 & echo $! > "$0"; wait', marker], 300);
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(20_000); // not the 30 s the command asked for
    const grandchild = Number(fs.readFileSync(marker, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    expect(fs.existsSync(`/proc/${grandchild}`) && !fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8').includes(') Z ')).toBe(false);
  });

  it(`stderr is kept up to ${MAX_STDERR} bytes`, async () => {
    const r = await launcher.launch('/bin/sh', ['-c', `head -c ${MAX_STDERR + 1000} /dev/zero | tr '\\0' x >&2`], undefined);
    expect(r.code).toBe(0);
    expect(r.stderr.length).toBe(MAX_STDERR);
  });

  it('a program that cannot be run is an error or exit 127, never a success', async () => {
    const r = await launcher.launch('/nonexistent/runc', ['state', 'x'], undefined).catch((e: Error) => e);
    if (r instanceof Error) expect(r.message).toMatch(/ENOENT/);
    else expect(r).toMatchObject({ code: 127, stderr: expect.stringMatching(/cannot run \/nonexistent\/runc: No such file or directory/) });
  });
});

describe.each<[string, HelperSpawner, HelperOptions]>([
  ['perl', perlShared, {}],
  ['native', nativeShared, native],
])('runc verbs through the %s helper', (kind, shared, opts) => {
  it('the command is the helper\'s child, not the daemon\'s, and leaves no output file behind', async () => {
    const r = await shared.launch('/bin/sh', ['-c', 'echo $PPID'], undefined);
    const ppid = Number(r.stdout.trim());
    expect(ppid).not.toBe(process.pid);
    expect(parentOf(ppid)).toBe(process.pid); // the helper is the daemon's child
    expect(fs.readdirSync(scratchDir).filter((f) => /\.(out|err)$/.test(f))).toEqual([]);
  });

  it('Runc parses the output and reports failures as RuncError, as with Node spawn', async () => {
    const state = fakes.printing('{"ociVersion":"1.0.2-dev","id":"c1","pid":42,"status":"paused","bundle":"/b","rootfs":"/b/rootfs","created":"2026-11-22T08:59:21.5Z","owner":""}');
    await expect(new Runc({ binary: state, launcher: shared }).state('c1')).resolves.toMatchObject({ id: 'c1', pid: 42, status: 'paused' });
    const failing = fakes.script('echo "container \\"c9\\" does not exist" >&2; exit 1');
    const err = await new Runc({ binary: failing, launcher: shared }).kill('c9', 9).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuncError);
    expect(err).toMatchObject({ exitCode: 1, stderr: 'container "c9" does not exist' });
  });

  it('a helper that dies while a command runs fails that command (its outcome is unknown); the next one gets a new helper', async () => {
    const h = helper(opts);
    const pidFile = path.join(scratchDir, `running-${kind}`);
    const running = h.launch('/bin/sh', ['-c', 'echo $PPID > "$0"; sleep 30', pidFile], undefined);
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8') === '') await new Promise((r) => setTimeout(r, 10));
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
    await expect(running).rejects.toThrow(/went away while \/bin\/sh ran; its outcome is unknown/);
    await expect(h.launch('/bin/echo', ['again'], undefined)).resolves.toMatchObject({ code: 0, stdout: 'again\n' });
  });

  it('without a scratch dir it refuses to run commands', async () => {
    const h = new HelperSpawner(opts);
    helpers.push(h);
    await expect(h.launch('/bin/true', [], undefined)).rejects.toThrow(/no scratch dir/);
  });
});
