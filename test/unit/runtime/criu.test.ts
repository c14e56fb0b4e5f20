import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CRIU_CANDIDATES, findCriu } from '../../../src/runtime/criu';
import { FakeRuncDir } from './fake-runc';

describe('findCriu: `criu check` decides which CRIU is used', () => {
  const fakes = new FakeRuncDir();
  afterAll(() => fakes.cleanup());
  const good = fakes.script('[ "$1" = check ] && echo "Looks good." && exit 0; exit 1');
  // What bookworm's CRIU 3.17 says on this kernel.
  const old = fakes.script('echo "Error (criu/cr-check.c:1234): Kernel does not support something" >&2; exit 1');

  it('prefers the private install, then criu on PATH', () => {
    expect(DEFAULT_CRIU_CANDIDATES).toEqual(['/opt/legacyd-criu/bin/criu', 'criu']);
  });

  it('takes the first candidate that passes the check, skipping one that fails it', async () => {
    expect(await findCriu(undefined, 5_000, [old, good])).toEqual({ ok: true, path: good, reason: 'criu check: Looks good.' });
  });

  it('reports every candidate that failed, and how to fix it', async () => {
    const r = await findCriu(undefined, 5_000, ['/nonexistent/criu', old]);
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('/nonexistent/criu: not found');
    expect(r.reason).toContain(`${old}: Error (criu/cr-check.c:1234): Kernel does not support something`);
    expect(r.reason).toContain('scripts/install-criu.sh');
  });

  it('an explicit --criu is the only one tried', async () => {
    const r = await findCriu(old, 5_000, [good]);
    expect(r).toMatchObject({ ok: false, path: old });
    expect(await findCriu(good, 5_000, [old])).toMatchObject({ ok: true, path: good });
  });

  it('a CRIU that exits 0 without "Looks good" does not pass', async () => {
    expect((await findCriu('/bin/true', 5_000)).ok).toBe(false);
    expect((await findCriu('/bin/false', 5_000)).ok).toBe(false);
  });
});
