import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectSpawner } from '../../../src/supervisor/direct-spawner';
import { HelperSpawner, type HelperOptions } from '../../../src/supervisor/helper-spawner';
import { startMonitorSpawner, type MonitorSpawner } from '../../../src/supervisor/monitor-spawner';
import { processStartTime } from '../../../src/supervisor/monitor';
import { runcStandIn } from '../../helpers/detached-runc';
import { openPaths } from '../../helpers/fds';
import { mustBeBuilt } from '../../helpers/native';
import { statOf } from '../../helpers/proc';

const dirs: string[] = [];
const spawners: MonitorSpawner[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-spawner-'));
  dirs.push(d);
  return d;
}
function helper(opts: HelperOptions = {}): HelperSpawner {
  const s = new HelperSpawner(opts);
  spawners.push(s);
  return s;
}
const native = mustBeBuilt();
afterEach(() => {
  for (const s of spawners.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Parent pid, process group and session of a live process, from /proc/<pid>/stat. */
const NONE = { path: '', mode: 'none' } as const;

function ids(pid: number): { ppid: number; pgrp: number; session: number } {
  const f = statOf(pid);
  return { ppid: Number(f[1]), pgrp: Number(f[2]), session: Number(f[3]) };
}

describe.each([
  ['direct', (): MonitorSpawner => new DirectSpawner()],
  ['helper', (): MonitorSpawner => helper()],
  ['helper on an arch whose syscall numbers it does not know', (): MonitorSpawner => helper({ arch: 'sparc' })],
  ['native helper', (): MonitorSpawner => helper({ native })],
])('monitor spawner (%s)', (kind, make) => {
  it('runs the argv exactly, byte for byte, with no shell in between', async () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    const args = ['two words', "it's \"quoted\"", '$(touch /tmp/pwned-spawner) `x` ;|&', 'new\nline', 'ünïcødé ✓', '', '-e'];
    const p = await make().spawn(['/bin/sh', '-c', 'printf "%s\\0" "$@" > "$0"', out, ...args], path.join(dir, 'log'));
    await p.exited;
    expect(fs.readFileSync(out, 'utf8')).toBe(args.map((a) => `${a}\0`).join(''));
    expect(fs.existsSync('/tmp/pwned-spawner')).toBe(false);
  });

  it('starts each process as the leader of its own process group, outside the daemon\'s session; stdin empty, stderr appended to the log', async () => {
    const dir = tmp();
    const log = path.join(dir, 'monitor.log');
    fs.writeFileSync(log, 'earlier\n');
    const out = path.join(dir, 'stdin-was');
    const ready = path.join(dir, 'ready');
    const p = await make().spawn(['/bin/sh', '-c', 'cat > "$0"; echo to-stderr >&2; echo to-stdout; : > "$1"; sleep 30', out, ready], log);
    // The answer comes at fork; setpgid (or setsid) and exec follow in the child.
    while (!fs.existsSync(ready)) await new Promise((r) => setTimeout(r, 10));
    const { session, pgrp } = ids(p.pid);
    expect(pgrp).toBe(p.pid);
    // A terminal's signals to the daemon (Ctrl-C, hangup) do not reach it.
    expect(session).not.toBe(ids(process.pid).session);
    // The whole group can be killed at once (the launcher does that when runc hangs).
    process.kill(-p.pid, 'SIGKILL');
    await p.exited;
    expect(fs.readFileSync(out, 'utf8')).toBe('');
    expect(fs.readFileSync(log, 'utf8')).toBe('earlier\nto-stderr\n');
  });

  it(`tells when the process exits, with its wait status${kind !== 'direct' ? ' (the helper reaps it: no zombie left)' : ''}`, async () => {
    const dir = tmp();
    const p = await make().spawn(['/bin/sh', '-c', 'exit 3'], path.join(dir, 'log'));
    expect(await p.exited).toBe(3 << 8); // its wait status
    expect(fs.existsSync(`/proc/${p.pid}`)).toBe(false);
    const killed = await make().spawn(['/bin/sleep', '30'], path.join(dir, 'log'));
    process.kill(killed.pid, 'SIGKILL');
    expect(await killed.exited).toBe(9);
  });
});

describe('the perl helper', () => {
  it('loads perl\'s POSIX module (1.2 MB more to fork per monitor) only where it does not know the syscall numbers', async () => {
    const dir = tmp();
    const loadsPosix = async (s: HelperSpawner): Promise<boolean> => {
      const p = await s.spawn(['/bin/sleep', '30'], path.join(dir, 'log'));
      const maps = fs.readFileSync(`/proc/${ids(p.pid).ppid}/maps`, 'utf8');
      process.kill(p.pid, 'SIGKILL');
      await p.exited;
      return /\/POSIX\.so$/m.test(maps);
    };
    expect(await loadsPosix(helper())).toBe(false);
    expect(await loadsPosix(helper({ arch: 'sparc' }))).toBe(true);
  });
});

describe.each([
  ['perl', {}, [['where it knows the syscall numbers (a signalfd)', undefined], ['on an arch it does not know (a handler, and a look once a second)', 'sparc']]],
  ['native', { native }, [['(a signalfd)', undefined]]],
] as [string, HelperOptions, [string, string | undefined][]][])('the %s helper', (_kind, base, archs) => {
  it('its forks lead their own process groups in its session (not sessions of their own: each is a scheduler autogroup, which cost runc ~1 ms of CPU per create)', async () => {
    const dir = tmp();
    const s = helper(base);
    const m = await s.monitor({ dir, stdio: { stdin: NONE, stdout: NONE, stderr: NONE }, runcArgv: ['/bin/sleep', '30'] });
    const helperPid = ids(m.pid).ppid;
    expect(ids(helperPid).session).toBe(helperPid);
    expect(ids(m.pid).session).toBe(helperPid);
    for (let i = 0; i < 100 && ids(m.pid).pgrp !== m.pid; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ids(m.pid).pgrp).toBe(m.pid);
    process.kill(-m.pid, 'SIGKILL');
    await m.exited;
  });

  it('answers a monitor with its start time as /proc shows it (the daemon need not read it), a command without', async () => {
    const dir = tmp();
    const s = helper(base);
    const m = await s.monitor({ dir, stdio: { stdin: NONE, stdout: NONE, stderr: NONE }, runcArgv: ['/bin/sleep', '30'] });
    expect(m.startTime).toMatch(/^\d+$/);
    expect(m.startTime).toBe(processStartTime('/proc', m.pid));
    const c = await s.spawn(['/bin/sleep', '30'], path.join(dir, 'log'));
    expect(c.startTime).toBeUndefined();
    // The fork makes its own group just after the helper answered: kill the group once it is there.
    for (let i = 0; i < 100 && ids(m.pid).pgrp !== m.pid; i++) await new Promise((r) => setTimeout(r, 10));
    process.kill(-m.pid, 'SIGKILL');
    process.kill(c.pid, 'SIGKILL');
    await Promise.all([m.exited, c.exited]);
  });

  it('forks the monitors itself, so they are its children, not the daemon\'s', async () => {
    const dir = tmp();
    const s = helper(base);
    const p = await s.spawn(['/bin/sleep', '30'], path.join(dir, 'log'));
    const parent = ids(p.pid).ppid;
    expect(parent).not.toBe(process.pid);
    expect(fs.readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0')[0]).toBe('legacyd-helper');
    process.kill(p.pid, 'SIGKILL');
    await p.exited;
  });

  it.each(archs)('reports every exit without another request coming in, %s', async (_how, arch) => {
    // One child at a time, each awaited: an exit the helper failed to notice would wait for the
    // next request, which never comes. Perl's %SIG handler missed ~1 in 6000 this way.
    const s = helper({ ...base, ...(arch !== undefined ? { arch } : {}) });
    for (let i = 0; i < 2000; i++) {
      const p = await s.spawn(['/bin/true'], '/dev/null');
      const outcome = await Promise.race([p.exited.then(() => 'reported'), new Promise((r) => setTimeout(() => r(`exit ${i} not reported`), 5_000))]);
      expect(outcome).toBe('reported');
    }
  }, 120_000);

  it.each(archs)('what it runs, and what its monitors run, get no blocked signals and no descriptor of its own, %s', async (_how, arch) => {
    const dir = tmp();
    const s = helper({ ...base, ...(arch !== undefined ? { arch } : {}) });
    const blocked = (pid: number): string => /^SigBlk:\s*(\S+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
    const spawned = await s.spawn(['/bin/sleep', '30'], path.join(dir, 'log'));
    const helperPid = ids(spawned.pid).ppid;
    const monitor = await s.monitor({ dir, stdio: { stdin: NONE, stdout: NONE, stderr: NONE }, runcArgv: ['/bin/sleep', '30'] });
    // The monitor's child: what it runs in runc's place.
    let child: number | undefined;
    for (let i = 0; i < 200 && !child; i++) {
      child = Number(fs.readFileSync(`/proc/${monitor.pid}/task/${monitor.pid}/children`, 'utf8').trim().split(' ')[0]) || undefined;
      if (!child) await new Promise((r) => setTimeout(r, 10));
    }
    expect(child).toBeGreaterThan(0);
    // (perl blocks every signal for an instant around its fork: the masks settle.)
    const masks = async (): Promise<string[]> => {
      for (let i = 0; ; i++) {
        const now = [spawned.pid, monitor.pid, child!].map(blocked);
        if (now.every((m) => m === '0000000000000000') || i === 100) return now;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    expect(await masks()).toEqual(['0000000000000000', '0000000000000000', '0000000000000000']);
    // The helper itself reads SIGCHLD from a signalfd where it knows how.
    expect(openPaths(helperPid).filter((l) => /signalfd/.test(l)).length).toBe(arch ? 0 : 1);
    for (const pid of [spawned.pid, child!]) expect(openPaths(pid).filter((l) => /signalfd/.test(l))).toEqual([]);
    process.kill(spawned.pid, 'SIGKILL');
    process.kill(-monitor.pid, 'SIGKILL');
    await spawned.exited;
  });

  it('a reaping monitor reports its process\'s start (the pid runc left, as in the pid file) and then lets go of the helper\'s socket; the process and the stdin feeder never hold it', async () => {
    const dir = tmp();
    const s = await HelperSpawner.start(base);
    spawners.push(s);
    const fifo = path.join(dir, 'in');
    execFileSync('mkfifo', [fifo]);
    const stdio = { stdin: { path: fifo, mode: 'fifo' as const }, stdout: NONE, stderr: NONE };
    const m = await s.monitor({ dir, stdio, runcArgv: runcStandIn(s, dir, ['/bin/sleep', '30']) });
    expect(m.started).toBeDefined();
    const pid = Number(await m.started);
    expect(pid).toBe(Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8')));
    expect(ids(pid).ppid).toBe(m.pid);
    const socket = fs.readlinkSync(`/proc/${ids(m.pid).ppid}/fd/1`);
    expect(socket).toMatch(/^socket:/);
    const children = fs.readFileSync(`/proc/${m.pid}/task/${m.pid}/children`, 'utf8').trim().split(' ').map(Number);
    const feeder = children.find((c) => c !== pid);
    expect(feeder).toBeGreaterThan(0);
    for (const p of [pid, feeder!]) expect(openPaths(p)).not.toContain(socket);
    // The monitor closes its copy right after the line went.
    for (let i = 0; i < 100 && openPaths(m.pid).includes(socket); i++) await new Promise((r) => setTimeout(r, 10));
    expect(openPaths(m.pid)).not.toContain(socket);
    process.kill(pid, 'SIGKILL');
    await m.exited;
    expect(fs.readFileSync(path.join(dir, 'exit'), 'utf8').trim()).toBe('137');
  });

  it('a runc that fails reports no start: `started` ends, empty, with the monitor', async () => {
    const dir = tmp();
    const s = await HelperSpawner.start(base);
    spawners.push(s);
    const m = await s.monitor({ dir, stdio: { stdin: NONE, stdout: NONE, stderr: NONE }, runcArgv: ['/bin/sh', '-c', 'exit 3'] });
    expect(await m.started).toBeUndefined();
    await m.exited;
    expect(fs.readFileSync(path.join(dir, 'exit'), 'utf8').trim()).toBe('3');
  });

  it('monitors over a foreground runc report nothing (runc writes the pid file while it runs on): no `started`', async () => {
    const dir = tmp();
    const s = await HelperSpawner.start({ ...base, subreaper: false });
    spawners.push(s);
    const m = await s.monitor({ dir, stdio: { stdin: NONE, stdout: NONE, stderr: NONE }, runcArgv: ['/bin/sh', '-c', 'exit 0'] });
    expect(m.started).toBeUndefined();
    await m.exited;
  });

  it('answers many concurrent requests in order, each with its own pid', async () => {
    const dir = tmp();
    const s = helper(base);
    const outs = Array.from({ length: 20 }, (_, i) => path.join(dir, `o${i}`));
    const ps = await Promise.all(outs.map((o, i) => s.spawn(['/bin/sh', '-c', 'echo "$1 $$" > "$0"', o, String(i)], path.join(dir, 'log'))));
    await Promise.all(ps.map((p) => p.exited));
    expect(new Set(ps.map((p) => p.pid)).size).toBe(20);
    outs.forEach((o, i) => expect(fs.readFileSync(o, 'utf8')).toBe(`${i} ${ps[i]!.pid}\n`));
  });

  it('a program that cannot run exits 127 and says why in the log', async () => {
    const dir = tmp();
    const log = path.join(dir, 'log');
    const p = await helper(base).spawn(['/nonexistent/monitor-shell', 'x'], log);
    await p.exited;
    expect(fs.readFileSync(log, 'utf8')).toMatch(/cannot run \/nonexistent\/monitor-shell: No such file or directory/);
  });

  it('refuses an argv with a NUL byte (it could not reach exec intact)', async () => {
    await expect(helper(base).spawn(['/bin/echo', 'a\0b'], '/dev/null')).rejects.toThrow(/NUL/);
    await expect(helper(base).spawn([], '/dev/null')).rejects.toThrow(/empty/);
  });

  it('a helper that died is started again for the next request', async () => {
    const dir = tmp();
    const s = helper(base);
    const first = await s.spawn(['/bin/sleep', '30'], path.join(dir, 'log'));
    const helperPid = ids(first.pid).ppid;
    process.kill(helperPid, 'SIGKILL');
    process.kill(first.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const next = await s.spawn(['/bin/sh', '-c', 'exit 0'], path.join(dir, 'log'));
    await next.exited;
    expect(next.pid).toBeGreaterThan(0);
    expect(fs.existsSync(`/proc/${helperPid}`)).toBe(false);
  });

  it('a helper that does not answer is killed after its deadline; the request fails and the next gets a new helper', async () => {
    const dir = tmp();
    // Stands in for the helper: takes its arguments and never answers.
    const mute = path.join(dir, 'mute-perl');
    fs.writeFileSync(mute, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    const s = helper({ ...(base.native !== undefined ? { native: mute } : { perl: mute }), answerMs: 300 });
    await expect(s.spawn(['/bin/true'], path.join(dir, 'log'))).rejects.toThrow(/monitor spawner .*mute-perl.* exited \(SIGKILL\)/);
    await expect(s.spawn(['/bin/true'], path.join(dir, 'log'))).rejects.toThrow(/SIGKILL/);
  });

  it('start() waits for the helper to say it can be a child subreaper; asked not to, its monitors run runc in the foreground', async () => {
    const reaps = await HelperSpawner.start(base);
    spawners.push(reaps);
    expect(reaps.detached).toBe(true);
    const fg = await HelperSpawner.start({ ...base, subreaper: false });
    spawners.push(fg);
    expect(fg.detached).toBe(false);
  });

  it('a helper that never says hello fails start() after the deadline (the daemon then falls back)', async () => {
    const dir = tmp();
    const mute = path.join(dir, 'mute-perl');
    fs.writeFileSync(mute, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    await expect(HelperSpawner.start({ ...(base.native !== undefined ? { native: mute } : { perl: mute }), answerMs: 300 })).rejects.toThrow(/mute-perl.* exited \(SIGKILL\)/);
  });
});

describe('a helper whose hello offers no reports (an older build)', () => {
  it('gives its monitors no `started`: the daemon then watches the pid file as before', async () => {
    const dir = tmp();
    // The Perl helper, its hello as it was before reports: `h <reaps>`.
    const old = path.join(dir, 'old-perl');
    fs.writeFileSync(old, '#!/bin/sh\nscript=$(printf \'%s\' "$2" | sed \'s/"h $can_reap 1/"h $can_reap/\')\nshift 2\nexec perl -e "$script" "$@"\n', { mode: 0o755 });
    const s = await HelperSpawner.start({ perl: old });
    spawners.push(s);
    expect(s.detached).toBe(true);
    const m = await s.monitor({ dir, stdio: { stdin: NONE, stdout: NONE, stderr: NONE }, runcArgv: runcStandIn(s, dir, ['/bin/sh', '-c', 'exit 5']) });
    expect(m.started).toBeUndefined();
    await m.exited;
    expect(fs.readFileSync(path.join(dir, 'exit'), 'utf8').trim()).toBe('5');
  });
});

describe('choosing the monitor spawner', () => {
  it('without perl the daemon falls back to forking monitors itself, and says why', async () => {
    const r = await startMonitorSpawner({ perl: '/nonexistent/perl' });
    spawners.push(r.spawner);
    expect(r.spawner.kind).toBe('direct');
    expect(r.why).toMatch(/\/nonexistent\/perl helper unavailable: .*ENOENT/);
    const ok = await startMonitorSpawner();
    spawners.push(ok.spawner);
    expect(ok.spawner.kind).toBe('helper');
    expect(ok.spawner.detached).toBe(true);
    expect(ok.why).toMatch(/perl helper, reaping runc's detached processes as their child subreaper/);
    expect(r.fallback).toBe(true);
    expect(ok.fallback).toBe(false);
  });

  it('takes the native helper when it runs; when it does not, the perl one, and says why', async () => {
    const built = await startMonitorSpawner({ native });
    spawners.push(built.spawner);
    expect(built.spawner.kind).toBe('helper');
    expect(built.spawner.detached).toBe(true);
    expect(built.fallback).toBe(false);
    expect(built.why).toBe(`monitors forked by the native helper ${native}, reaping runc's detached processes as their child subreaper`);
    const dir = tmp();
    const p = await built.spawner.spawn(['/bin/sleep', '30'], path.join(dir, 'log'));
    expect(fs.readlinkSync(`/proc/${ids(p.pid).ppid}/exe`)).toBe(native);
    process.kill(p.pid, 'SIGKILL');
    await p.exited;

    const missing = await startMonitorSpawner({ native: '/nonexistent/legacyd-helper' });
    spawners.push(missing.spawner);
    expect(missing.spawner.kind).toBe('helper');
    expect(missing.fallback).toBe(true);
    expect(missing.why).toMatch(/^monitors forked by a perl helper, .* \(native helper \/nonexistent\/legacyd-helper unavailable: .*ENOENT.*\)$/);
  });
});
