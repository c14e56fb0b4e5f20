import { describe, expect, it } from 'vitest';
import type { ContainerMeta } from '../../../src/exporter';
import { containerLabels, LabelCache, labelText } from '../../../src/exporter/labels';
import { escapeLabelValue } from '../../../src/exporter/text-format';

const meta: ContainerMeta = {
  id: 'web1',
  pid: 4242,
  image: 'registry/web:1',
  annotations: { team: 'in"fra\\ops\nnight', 'a.b': 'first', a_b: 'second', secret: 'never' },
  cgroupsPath: '/legacyd/web1',
  createdAt: '2026-11-22T09:00:00.000Z',
};

describe('container label text', () => {
  it('escapes backslash, newline and double quote once, as the text formats require', () => {
    expect(escapeLabelValue('plain/path:1')).toBe('plain/path:1');
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('has the names, order and values of the object form, allow-listed annotations only', () => {
    const cache = new LabelCache(['team', 'missing']);
    cache.begin();
    const text = cache.get(meta);
    expect(text).toBe('id="/legacyd/web1",name="web1",image="registry/web:1",container_label_team="in\\"fra\\\\ops\\nnight"');
    expect(text).toBe(labelText(containerLabels(meta, ['team', 'missing'])));
    expect(text).not.toContain('never');
  });

  it('two keys that sanitize to one label name give one label, as the object form did', () => {
    const cache = new LabelCache(['a.b', 'a_b']);
    cache.begin();
    expect(cache.get(meta)).toBe('id="/legacyd/web1",name="web1",image="registry/web:1",container_label_a_b="second"');
  });

  it('an empty image falls back to the container id', () => {
    const cache = new LabelCache([]);
    cache.begin();
    expect(cache.get({ ...meta, image: '' })).toBe('id="/legacyd/web1",name="web1",image="web1"');
  });

  it('is rebuilt when the pid, cgroup path, image or an allow-listed annotation changes', () => {
    const cache = new LabelCache(['team']);
    cache.begin();
    const first = cache.get(meta);
    expect(cache.get({ ...meta })).toBe(first);
    expect(cache.get({ ...meta, pid: 5000, cgroupsPath: '/legacyd/restored/web1' })).toContain('id="/legacyd/restored/web1"');
    expect(cache.get({ ...meta, image: 'registry/web:2' })).toContain('image="registry/web:2"');
    expect(cache.get({ ...meta, annotations: { team: 'db' } })).toContain('container_label_team="db"');
    expect(cache.get({ ...meta, annotations: {} })).toBe('id="/legacyd/web1",name="web1",image="registry/web:1"');
    expect(cache.size).toBe(1);
  });

  it('drops a container at the end of the first scrape that did not ask for it', () => {
    const cache = new LabelCache([]);
    cache.begin();
    cache.get(meta);
    cache.get({ ...meta, id: 'web2' });
    cache.sweep();
    expect(cache.size).toBe(2);
    cache.begin();
    cache.get(meta);
    cache.sweep();
    expect(cache.size).toBe(1);
    cache.begin();
    cache.sweep();
    expect(cache.size).toBe(0);
  });
});
