/** A supervisor's shutdown against real runc containers (needs root and runc). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Supervisor } from '../../../src/supervisor/supervisor';
import { CAN_RUN_RUNC, exitEvent, runcScratch, type RuncScratch } from '../../helpers/runc-supervisor';

describe.skipIf(!CAN_RUN_RUNC)('supervisor shutdown (real runc)', () => {
  let scratch: RuncScratch;
  const supervisor = (): Supervisor => scratch.supervisor();
  const create = (sup: Supervisor, id: string): Promise<number> => scratch.create(sup, id);
  const exitOf = exitEvent;

  beforeAll(async () => {
    scratch = await runcScratch('shutdown');
  }, 60_000);

  afterAll(async () => {
    await scratch?.dispose();
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
