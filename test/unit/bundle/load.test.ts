import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../../src/bundle';
import { FIXTURES, copyFixture, editJson, readJson, tempDir } from './helpers';

describe('loadBundle: where the bundle is', () => {
  it('refuses a relative bundle path', async () => {
    await expect(loadBundle('bundles/x')).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: 'bundle path "bundles/x" is not absolute',
    });
  });

  it('answers not-found for a bundle that does not exist', async () => {
    const missing = path.join(await tempDir(), 'nope');
    await expect(loadBundle(missing)).rejects.toMatchObject({ kind: 'not-found', message: `bundle ${missing} does not exist` });
  });

  it('answers not-found naming config.json when the bundle has none', async () => {
    const dir = await tempDir();
    await expect(loadBundle(dir)).rejects.toMatchObject({
      kind: 'not-found',
      message: `bundle ${dir} has no config.json (${dir}/config.json)`,
    });
  });

  it('refuses a bundle path that is a file', async () => {
    const file = path.join(await tempDir(), 'f');
    await fs.writeFile(file, '');
    await expect(loadBundle(file)).rejects.toMatchObject({ kind: 'invalid-argument', message: `bundle ${file} is not a directory` });
  });

  it('refuses malformed JSON, naming the file and the parse error', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'config.json'), '{"ociVersion": "1.0.2",');
    const err = await loadBundle(dir).catch((e) => e);
    expect(err.kind).toBe('invalid-argument');
    expect(err.message).toMatch(new RegExp(`^bundle ${dir}: ${dir}/config.json is not valid JSON: .+`));
  });

  it('refuses a config.json that is a fifo instead of blocking on it', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [path.join(dir, 'config.json')]);
    await expect(loadBundle(dir)).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: `bundle ${dir}: ${dir}/config.json is not a regular file`,
    });
  });

  it('refuses a config.json with neither ociVersion nor version', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'config.json'), '{"process": {}}');
    await expect(loadBundle(dir)).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringContaining('config.json has neither "ociVersion" nor "version"'),
    });
  });

  it('refuses other legacy versions', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    await editJson(bundle, 'config.json', (c) => (c.version = '0.1.1'));
    await expect(loadBundle(bundle)).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringContaining('config.json "version": "0.1.1" is not supported'),
    });
  });
});

describe('loadBundle: legacy bundles', () => {
  it('answers not-found naming runtime.json when it is missing', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    await fs.rm(path.join(bundle, 'runtime.json'));
    await expect(loadBundle(bundle)).rejects.toMatchObject({
      kind: 'not-found',
      message: `legacy bundle ${bundle} has no runtime.json (${bundle}/runtime.json); a "version": "0.2.0" config.json needs one`,
    });
  });

  it('names the bundle in conversion errors', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    await editJson(bundle, 'runtime.json', (r) => (r.linux.seccomp = { defaultAction: 'SCMP_ACT_FOO' }));
    await expect(loadBundle(bundle)).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: `legacy bundle ${bundle}: runtime.json linux.seccomp.defaultAction "SCMP_ACT_FOO" cannot be converted`,
    });
  });

  it('answers not-found when the rootfs is missing', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    await fs.rm(path.join(bundle, 'rootfs'), { recursive: true });
    await expect(loadBundle(bundle)).rejects.toMatchObject({
      kind: 'not-found',
      message: `bundle ${bundle}: rootfs ${bundle}/rootfs (config.json root.path) does not exist`,
    });
  });

  it('keeps RLIM_INFINITY exact', async () => {
    const bundle = await copyFixture('legacy-0.2.0');
    const p = path.join(bundle, 'runtime.json');
    const text = (await fs.readFile(p, 'utf8')).replace('"hard": 1024', '"hard": 18446744073709551615');
    await fs.writeFile(p, text);
    const loaded = await loadBundle(bundle);
    expect(loaded.spec.process!.rlimits).toStrictEqual([{ type: 'RLIMIT_NOFILE', hard: 18446744073709551615n, soft: 1024 }]);
  });
});

describe('loadBundle: OCI bundles', () => {
  it('passes the spec through untouched and reports process, image and annotations', async () => {
    const bundle = path.join(FIXTURES, 'oci-1.0');
    const loaded = await loadBundle(bundle);
    expect(loaded.format).toBe('oci');
    expect(loaded.needsRewrite).toBe(false);
    expect(loaded.spec).toStrictEqual(await readJson(path.join(bundle, 'config.json')));
    expect(loaded.terminal).toBe(false);
    expect(loaded.process).toStrictEqual({
      terminal: false,
      user: { uid: 0, gid: 0, additionalGids: [] },
      args: ['sleep', '300'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
    });
    expect(loaded.image).toBe('docker.io/library/busybox:1.36');
    expect(loaded.annotations).toStrictEqual({
      'org.opencontainers.image.ref.name': 'docker.io/library/busybox:1.36',
      'com.example.team': 'storage',
    });
    expect(loaded.rootfs).toBe(path.join(bundle, 'rootfs'));
  });

  it('uses the absolute rootfs path as image without the annotation', async () => {
    const bundle = await copyFixture('oci-1.0');
    await editJson(bundle, 'config.json', (s) => delete s.annotations);
    const loaded = await loadBundle(bundle);
    expect(loaded.image).toBe(path.join(bundle, 'rootfs'));
    expect(loaded.annotations).toStrictEqual({});
  });

  it('reports terminal=true for the caller to decide', async () => {
    const bundle = await copyFixture('oci-1.0');
    await editJson(bundle, 'config.json', (s) => (s.process.terminal = true));
    const loaded = await loadBundle(bundle);
    expect(loaded.terminal).toBe(true);
    expect(loaded.process.terminal).toBe(true);
  });

  const invalid: [string, (s: any) => void, string][] = [
    ['empty args', (s) => (s.process.args = []), 'config.json process.args must be a non-empty array of strings'],
    ['no process', (s) => delete s.process, "config.json process is missing (the v0 API starts the bundle's process)"],
    ['no root.path', (s) => (s.root = { readonly: true }), 'config.json root.path is missing'],
    ['a pre-1.0 ociVersion', (s) => (s.ociVersion = '0.5.0'), 'config.json ociVersion "0.5.0" is not supported (want OCI 1.x)'],
    ['a non-string annotation', (s) => (s.annotations = { a: 1 }), 'config.json annotations["a"] must be a string (got 1)'],
  ];
  it.each(invalid)('refuses %s', async (_name, mutate, message) => {
    const bundle = await copyFixture('oci-1.0');
    await editJson(bundle, 'config.json', mutate);
    await expect(loadBundle(bundle)).rejects.toMatchObject({ kind: 'invalid-argument', message: `bundle ${bundle}: ${message}` });
  });
});
