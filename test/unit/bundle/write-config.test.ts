import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle, parseJsonExact, relocateSpec, writeRuntimeConfig } from '../../../src/bundle';
import { copyFixture, editJson, readJson, snapshot, tempDir } from './helpers';

describe('writeRuntimeConfig', () => {
  it('writes the converted legacy spec into the state dir with an absolute root.path', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    const state = path.join(await tempDir(), 'state', 'c1');
    const loaded = await loadBundle(bundle);

    const runcBundle = await writeRuntimeConfig(loaded, state);

    expect(runcBundle).toBe(state);
    const written = await readJson(path.join(state, 'config.json'));
    expect(written.root).toStrictEqual({ path: path.join(bundle, 'rootfs'), readonly: false });
    expect(written).toStrictEqual({ ...loaded.spec, root: written.root });
    expect(await fs.readdir(state)).toStrictEqual(['config.json']);
    // The loaded spec itself is left relative; only the written copy is relocated.
    expect(loaded.spec.root!.path).toBe('rootfs');
  });

  it('leaves every file of the client bundle byte-identical', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    const before = await snapshot(bundle);
    const loaded = await loadBundle(bundle);
    await writeRuntimeConfig(loaded, path.join(await tempDir(), 'state'));
    expect(await snapshot(bundle)).toStrictEqual(before);
  });

  it('replaces an earlier config.json atomically and leaves no temp files', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    const state = await tempDir();
    await fs.writeFile(path.join(state, 'config.json'), 'stale');
    await writeRuntimeConfig(await loadBundle(bundle), state);
    await writeRuntimeConfig(await loadBundle(bundle), state);
    expect(await fs.readdir(state)).toStrictEqual(['config.json']);
    expect((await readJson(path.join(state, 'config.json'))).ociVersion).toBe('1.0.2');
  });

  it('keeps RLIM_INFINITY exact in the written file', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    const p = path.join(bundle, 'runtime.json');
    await fs.writeFile(p, (await fs.readFile(p, 'utf8')).replace('"hard": 1024', '"hard": 18446744073709551615'));
    const state = await tempDir();
    await writeRuntimeConfig(await loadBundle(bundle), state);
    const text = await fs.readFile(path.join(state, 'config.json'), 'utf8');
    expect(text).toMatch(/"hard": 18446744073709551615,/);
    expect((parseJsonExact(text) as any).process.rlimits[0].hard).toBe(18446744073709551615n);
  });

  it('makes relative bind-mount sources absolute (they were relative to the client bundle)', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    await editJson(bundle, 'config.json', (c) => c.mounts.push({ name: 'data', path: '/data' }));
    await editJson(bundle, 'runtime.json', (r) => (r.mounts.data = { type: 'bind', source: 'data', options: ['rbind', 'ro'] }));
    const state = await tempDir();
    await writeRuntimeConfig(await loadBundle(bundle), state);
    const written = await readJson(path.join(state, 'config.json'));
    expect(written.mounts.at(-1)).toStrictEqual({ destination: '/data', type: 'bind', source: path.join(bundle, 'data'), options: ['rbind', 'ro'] });
    expect(written.mounts[0]).toStrictEqual({ destination: '/proc', type: 'proc', source: 'proc' });
  });

  it('returns the client bundle for a plain OCI bundle and writes nothing', async () => {
    const bundle = await copyFixture('oci-1.0');
    const state = path.join(await tempDir(), 'state');
    expect(await writeRuntimeConfig(await loadBundle(bundle), state)).toBe(bundle);
    await expect(fs.stat(state)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes an OCI bundle too when asked (always), relocated', async () => {
    const bundle = await copyFixture('oci-1.0');
    const before = await snapshot(bundle);
    const state = await tempDir();
    const loaded = await loadBundle(bundle);
    loaded.spec.linux!.cgroupsPath = '/legacyd/c1';
    expect(await writeRuntimeConfig(loaded, state, { always: true })).toBe(state);
    const written = await readJson(path.join(state, 'config.json'));
    expect(written.linux.cgroupsPath).toBe('/legacyd/c1');
    expect(written.root.path).toBe(path.join(bundle, 'rootfs'));
    expect(await snapshot(bundle)).toStrictEqual(before);
  });

  it('refuses to write into the client bundle, or below it, or through a symlink to it', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    const before = await snapshot(bundle);
    const link = path.join(await tempDir(), 'link');
    await fs.symlink(bundle, link);
    const loaded = await loadBundle(bundle);
    for (const dir of [bundle + '/.', path.join(bundle, 'state', 'c1'), path.join(link, 'c1')]) {
      await expect(writeRuntimeConfig(loaded, dir)).rejects.toMatchObject({
        kind: 'invalid-argument',
        message: `refusing to write the runtime config into the client's bundle ${bundle} (${dir})`,
      });
    }
    expect(await snapshot(bundle)).toStrictEqual(before);
  });

  it('refuses a relative state dir', async () => {
    const loaded = await loadBundle(await copyFixture('legacy-0.2.0'));
    await expect(writeRuntimeConfig(loaded, 'state/c1')).rejects.toMatchObject({ kind: 'invalid-argument' });
  });
});

describe('relocateSpec', () => {
  it('leaves absolute paths and non-bind sources alone, and does not touch its input', () => {
    const spec = {
      ociVersion: '1.0.2',
      root: { path: '/srv/rootfs' },
      mounts: [
        { destination: '/a', source: 'a', options: ['bind'] },
        { destination: '/b', type: 'bind', source: '/abs/b' },
        { destination: '/tmp', type: 'tmpfs', source: 'tmpfs' },
      ],
    };
    const copy = structuredClone(spec);
    expect(relocateSpec(spec, '/bundles/x')).toStrictEqual({
      ociVersion: '1.0.2',
      root: { path: '/srv/rootfs' },
      mounts: [
        { destination: '/a', source: '/bundles/x/a', options: ['bind'] },
        { destination: '/b', type: 'bind', source: '/abs/b' },
        { destination: '/tmp', type: 'tmpfs', source: 'tmpfs' },
      ],
    });
    expect(spec).toStrictEqual(copy);
  });
});
