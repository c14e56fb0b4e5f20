import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleCache, loadBundle } from '../../../src/bundle';
import { copyFixture } from './helpers';

/** A cache whose clock runs 10 s ahead: the files a test has just written count as settled. */
const settled = (max?: number): BundleCache => new BundleCache(max, () => Date.now() + 10_000);
/** Longer than a coarse file timestamp's tick, so an edit after it gets a newer mtime (the real clock is not ahead). */
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

/** Loads a copy of `fixture` through a settled cache, rewrites its `file` with `edit`, and loads it again. */
async function loadEditLoad(fixture: string, file: string, edit: (text: string) => string) {
  const bundle = await copyFixture(fixture);
  const cache = settled();
  const first = await cache.load(bundle);
  await tick();
  const text = await fs.readFile(path.join(bundle, file), 'utf8');
  const edited = edit(text);
  await fs.writeFile(path.join(bundle, file), edited);
  return { first, second: await cache.load(bundle), text, edited };
}

describe('BundleCache', () => {
  it('gives the same result for a bundle whose files did not change, frozen (it is shared between creates)', async () => {
    const bundle = await copyFixture('oci-1.0');
    const cache = settled();
    const first = await cache.load(bundle);
    expect(await cache.load(bundle)).toBe(first);
    expect(first).toStrictEqual(await loadBundle(bundle));
    expect(Object.isFrozen(first.spec.process!.args)).toBe(true);
    expect(() => {
      (first.spec as { hostname?: string }).hostname = 'changed';
    }).toThrow(TypeError);
  });

  it('reads config.json again once it changed (even rewritten in place with the same size)', async () => {
    const { first, second, text, edited } = await loadEditLoad('oci-1.0', 'config.json', (t) =>
      t.replace(/"hostname": "[^"]*"/, (m) => m.replace(/[^"](?="$)/, 'Z')),
    );
    expect(edited.length).toBe(text.length);
    expect(edited).not.toBe(text);
    expect(second).not.toBe(first);
    expect(second.spec.hostname).toMatch(/Z$/);
  });

  it('reads a legacy bundle again once its runtime.json changed', async () => {
    const { first, second } = await loadEditLoad('legacy-0.2.0', 'runtime.json', (t) => t.replace('"hard": 1024', '"hard": 2048'));
    expect(second).not.toBe(first);
    expect(second.spec.process!.rlimits![0]!.hard).toBe(2048);
    expect(first.spec.process!.rlimits![0]!.hard).toBe(1024);
  });

  it('a rootfs gone since is reported as loadBundle reports it', async () => {
    const bundle = await copyFixture('oci-1.0');
    const cache = settled();
    await cache.load(bundle);
    await fs.rm(path.join(bundle, 'rootfs'), { recursive: true });
    await expect(cache.load(bundle)).rejects.toMatchObject({ kind: 'not-found', message: expect.stringMatching(/rootfs .* does not exist/) });
  });

  it('does not keep a bundle whose files changed in the last 2 s: its next load reads them again', async () => {
    const bundle = await copyFixture('oci-1.0');
    const cache = new BundleCache();
    const first = await cache.load(bundle);
    expect(await cache.load(bundle)).not.toBe(first);
  });

  it('keeps at most `max` bundles, letting the least recently used go', async () => {
    const [a, b, c] = [await copyFixture('oci-1.0'), await copyFixture('oci-1.0'), await copyFixture('oci-1.0')];
    const cache = settled(2);
    const la = await cache.load(a);
    const lb = await cache.load(b);
    expect(await cache.load(a)).toBe(la); // a is now the most recent
    await cache.load(c); // b goes
    expect(await cache.load(a)).toBe(la);
    expect(await cache.load(b)).not.toBe(lb);
  });

  it('answers a bad path as loadBundle does, and keeps nothing for it', async () => {
    const cache = settled();
    await expect(cache.load('relative/bundle')).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(cache.load('/nonexistent/legacyd-bundle')).rejects.toMatchObject({ kind: 'not-found' });
  });
});
