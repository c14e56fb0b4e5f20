import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBundle } from '../helpers/bundle';
import { integrationPrerequisites } from '../helpers/ci';
import { findContainer } from '../helpers/client';
import { useDaemon } from '../helpers/fixture';
import { eventually } from '../helpers/wait';

const ready = integrationPrerequisites();
const CTL = path.resolve(__dirname, '../../dist/src/cli/legacyctl.js');

describe.skipIf(!ready)('legacyctl against a live daemon', () => {
  const t = useDaemon();

  function ctl(args: string[], input?: string, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const p = execFile(process.execPath, [CTL, '--address', t.daemon.address, ...args], { timeout: 30_000, ...(cwd ? { cwd } : {}) }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) p.stdin!.end(input);
      else p.stdin!.end();
    });
  }

  it('start, list as a table and as JSON', async () => {
    t.track('ctl-web');
    const bundle = await makeBundle(['sleep', '3600']);
    const started = await ctl(['containers', 'start', 'ctl-web', bundle]);
    expect(started).toMatchObject({ code: 0 });
    expect(started.stdout).toMatch(/^ctl-web started, pid \d+$/m);

    const table = await ctl(['containers', 'list']);
    expect(table.stdout).toMatch(/^ID\s+PID\s+STATUS/m);
    expect(table.stdout).toMatch(/^ctl-web\s+\d+\s+running/m);
    const json = JSON.parse((await ctl(['containers', 'list', '--json'])).stdout) as { id: string; status: string }[];
    expect(json.find((c) => c.id === 'ctl-web')?.status).toBe('running');
  });

  it('start takes a bundle relative to its working directory, as ctr did', async () => {
    t.track('ctl-rel');
    const bundle = await makeBundle(['sleep', '3600']);
    const r = await ctl(['containers', 'start', 'ctl-rel', path.basename(bundle)], undefined, path.dirname(bundle));
    expect(r).toMatchObject({ code: 0 });
    expect(findContainer(await t.api.state(), 'ctl-rel')?.bundlePath).toBe(bundle);
  });

  it('exec --attach streams output, forwards stdin and exits with the process status', async () => {
    await t.start('ctl-exec');
    const r = await ctl(['containers', 'exec', '--id', 'ctl-exec', '-a', '--', 'sh', '-c', 'echo hi; exit 4']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('hi\n');
    const piped = await ctl(['containers', 'exec', '--id', 'ctl-exec', '-a', '--', 'cat'], 'through stdin\n');
    expect(piped).toMatchObject({ code: 0, stdout: 'through stdin\n' });
  });

  it('pause and resume show in list; kill by name and by number', async () => {
    await t.start('ctl-pr');
    expect((await ctl(['containers', 'pause', 'ctl-pr'])).code).toBe(0);
    expect(findContainer(await t.api.state(), 'ctl-pr')?.status).toBe('paused');
    expect((await ctl(['containers', 'resume', 'ctl-pr'])).code).toBe(0);
    expect((await ctl(['containers', 'list'])).stdout).toMatch(/^ctl-pr\s+\d+\s+running/m);

    expect((await ctl(['containers', 'kill', '-s', 'KILL', 'ctl-pr'])).code).toBe(0);
    await eventually(async () => expect(findContainer(await t.api.state(), 'ctl-pr')).toBeUndefined());
    await t.start('ctl-nine');
    expect((await ctl(['containers', 'kill', '-s', '9', 'ctl-nine'])).code).toBe(0);
    await eventually(async () => expect(findContainer(await t.api.state(), 'ctl-nine')).toBeUndefined());
  });

  it('checkpoints list answers with a table', async () => {
    await t.start('ctl-cp');
    const r = await ctl(['checkpoints', 'list', 'ctl-cp']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^NAME\s+EXIT\s+TCP/m);
  });

  it('events shows an exit', async () => {
    const { pid } = await t.start('ctl-ev');
    const lines: string[] = [];
    const p = execFile(process.execPath, [CTL, '--address', t.daemon.address, 'events']);
    p.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n')));
    // Subscribed once it prints a start-container of a probe started after it was launched.
    await eventually(async () => {
      const probe = `ctl-ev-probe-${lines.length}-${Date.now() % 100000}`;
      await t.start(probe);
      await new Promise((r) => setTimeout(r, 300));
      expect(lines.some((l) => l.startsWith('start-container') && l.includes('ctl-ev-probe-'))).toBe(true);
    }, 20_000, 100);
    await t.api.signal({ id: 'ctl-ev', pid, signal: 9 });
    await eventually(() => expect(lines.some((l) => /^exit\s+ctl-ev pid=\d+ status=137$/.test(l))).toBe(true));
    p.kill();
  });

  it('an unknown container: non-zero exit and exactly one line', async () => {
    const r = await ctl(['containers', 'kill', 'ctl-nobody']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('legacyctl: container ctl-nobody not found\n');
  });

  it('--help works at every level', async () => {
    for (const args of [['--help'], ['containers', '--help'], ['containers', 'exec', '--help'], ['checkpoints', '--help']]) {
      const r = await ctl(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: legacyctl/);
    }
  });
});
