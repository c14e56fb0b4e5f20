/** A supervisor's shutdown against real runc containers (needs root and runc). */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log';
import { Runc } from '../../../src/runtime';
import type { DomainEvent } from '../../../src/supervisor/events';
import { RuncAdapter } from '../../../src/supervisor/runc-adapter';
import { Supervisor } from '../../../src/supervisor/supervisor';

const run = promisify(execFile);
const MAKE_BUNDLE = path.resolve(__dirname, '../../../scripts/make-bundle.sh');
const canRun = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/runc');

describe.skipIf(!canRun)('supervisor shutdown (real runc)', () => {
  let work: string;
  let bundle: string;
  let stateDir: string;
  const cgroupParent = `/legacyd-shutdown-${process.pid}`;
  const supervisor = (): Supervisor =>
    new Supervisor({
      stateDir,
      runtime: new RuncAdapter(new Runc({ root: path.join(stateDir, 'runc'), timeoutMs: 60_000 })),
      machine: { hostname: 'test', cpus: 1, memoryBytes: 1 },
      cgroupParent,
      logger: silentLogger,
    });
  const create = (sup: Supervisor, id: string): Promise<number> =>
    sup.create({ id, bundlePath: bundle, stdin: '', stdout: '', stderr: '', console: '', checkpoint: '' });
  const exitOf = async (sub: { next(): Promise<DomainEvent | undefined> }, id: string): Promise<DomainEvent> => {
    for (;;) {
      const e = await sub.next();
      if (!e) throw new Error('event stream ended');
      if (e.type === 'exit' && e.id === id) return e;
    }
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-shutdown-'));
    bundle = path.join(work, 'bundle');
    stateDir = path.join(work, 'state');
    await run('sh', [MAKE_BUNDLE, bundle, 'sleep', '3600']);
  }, 60_000);

  afterAll(async () => {
    const root = path.join(stateDir, 'runc');
    const { stdout } = await run('runc', ['--root', root, 'list', '-q']).catch(() => ({ stdout: '' }));
    for (const id of stdout.split('\n').filter(Boolean)) await run('runc', ['--root', root, 'delete', '-f', id]).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
    for (const dir of [path.join('/sys/fs/cgroup', cgroupParent), ...fs.readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c, cgroupParent))]) {
      if (fs.existsSync(dir)) fs.rmdirSync(dir);
    }
  }, 60_000);

  it('once it stops accepting: new calls are UNAVAILABLE, exits are still sent; after shutdown one stays on disk for the next start', async () => {
    const sup = supervisor();
    await sup.start();
    const sub = sup.subscribe();
    const a = await create(sup, 'sd-a');
    const b = await create(sup, 'sd-b');

    sup.stopAccepting();
    await expect(create(sup, 'sd-c')).rejects.toMatchObject({ kind: 'unavailable' });
    process.kill(a, 'SIGKILL');
    expect(await exitOf(sub, 'sd-a')).toMatchObject({ pid: a, status: 137 });

    await sup.shutdown();
    expect(await sub.next()).toBeUndefined(); // the stream ended cleanly
    process.kill(b, 'SIGKILL');
    const exitFile = path.join(sup.stateDir.processDir('sd-b', 'init'), 'exit');
    for (let i = 0; i < 200 && !fs.existsSync(exitFile); i++) await new Promise((r) => setTimeout(r, 25));
    expect(fs.readFileSync(exitFile, 'utf8').trim()).toBe('137');
    await new Promise((r) => setTimeout(r, 300)); // nothing handles it now: it stays
    expect(fs.existsSync(exitFile)).toBe(true);

    const next = supervisor();
    await next.start();
    const later = next.subscribe();
    expect(await exitOf(later, 'sd-b')).toMatchObject({ pid: b, status: 137 });
    expect(next.has('sd-a')).toBe(false);
    later.end();
    await next.shutdown();
  }, 60_000);
});
