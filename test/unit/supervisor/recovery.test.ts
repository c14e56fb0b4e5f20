import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log';
import { processStartTime } from '../../../src/supervisor/monitor';
import { recoverState } from '../../../src/supervisor/recovery';
import type { ContainerRecord, ProcessRecord } from '../../../src/supervisor/records';
import type { RuntimePort, RuntimeState } from '../../../src/supervisor/runtime-port';
import { StateDir, writeJsonAtomicSync } from '../../../src/supervisor/state-dir';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A state dir holding live containers: their init is this test process, which is also "its monitor". */
async function stateWith(ids: string[]): Promise<StateDir> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-recovery-'));
  dirs.push(root);
  const sd = new StateDir(root);
  await sd.init();
  const none = { path: '', mode: 'none' as const };
  for (const id of ids) {
    sd.claimContainer(id);
    const record: ContainerRecord = { id, bundlePath: '/b', runtimeBundle: sd.containerDir(id), image: '/b/rootfs', annotations: {}, cgroupsPath: `/legacyd/${id}`, createdAt: new Date().toISOString() };
    writeJsonAtomicSync(path.join(sd.containerDir(id), 'container.json'), record);
    const dir = sd.processDir(id, 'init');
    fs.mkdirSync(dir, { recursive: true });
    const proc: ProcessRecord = { key: 'init', kind: 'init', terminal: false, user: { uid: 0, gid: 0, additionalGids: [] }, args: ['sleep', '1'], env: [], cwd: '/', stdio: { stdin: none, stdout: none, stderr: none } };
    writeJsonAtomicSync(path.join(dir, 'process.json'), proc);
    fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
    writeJsonAtomicSync(path.join(dir, 'monitor.json'), { pid: process.pid, startTime: processStartTime('/proc', process.pid) });
  }
  return sd;
}

/** A runtime that answers `list` (or fails it) and `state`, counting the calls; nothing else is expected. */
function runtime(states: Record<string, string>, listFails: boolean): RuntimePort & { listCalls: number; stateCalls: string[] } {
  const unexpected = (): never => {
    throw new Error('recovery of live containers should not call this');
  };
  const of = (id: string): RuntimeState | undefined => (states[id] ? { status: states[id]!, pid: process.pid } : undefined);
  const r = {
    listCalls: 0,
    stateCalls: [] as string[],
    runArgv: unexpected,
    execArgv: unexpected,
    restoreArgv: unexpected,
    kill: unexpected,
    pause: unexpected,
    resume: unexpected,
    delete: unexpected,
    checkpoint: unexpected,
    async list(): Promise<Map<string, RuntimeState>> {
      r.listCalls++;
      if (listFails) throw new Error('runc list: exit status 1');
      return new Map(Object.keys(states).map((id) => [id, of(id)!]));
    },
    async state(id: string): Promise<RuntimeState | undefined> {
      r.stateCalls.push(id);
      return of(id);
    },
  };
  return r;
}

describe('recovery asks runc for the containers\' status', () => {
  it('once for all of them (runc list): a paused one comes back paused, the others running', async () => {
    const stateDir = await stateWith(['a', 'b', 'c']);
    const rt = runtime({ a: 'running', b: 'paused', c: 'running' }, false);
    const { containers } = await recoverState({ stateDir, runtime: rt, procRoot: '/proc', log: createLogger('error', () => undefined) });
    expect(Object.fromEntries(containers.map((c) => [c.id, c.status]))).toEqual({ a: 'running', b: 'paused', c: 'running' });
    expect(rt.listCalls).toBe(1);
    expect(rt.stateCalls).toEqual([]);
  });

  it('per container when runc list fails, and says so', async () => {
    const stateDir = await stateWith(['a', 'b']);
    const rt = runtime({ a: 'paused', b: 'running' }, true);
    const lines: string[] = [];
    const { containers } = await recoverState({ stateDir, runtime: rt, procRoot: '/proc', log: createLogger('warn', (l) => lines.push(l)) });
    expect(Object.fromEntries(containers.map((c) => [c.id, c.status]))).toEqual({ a: 'paused', b: 'running' });
    expect(rt.stateCalls).toEqual(['a', 'b']);
    expect(lines.join('')).toMatch(/runc list failed.*runc list: exit status 1/);
  });
});
