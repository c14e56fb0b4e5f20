import { describe, expect, it } from 'vitest';
import { checkCheckpointName, checkContainerId, isValidName } from '../../../src/supervisor/ids';

describe('container ids and checkpoint names (they become paths)', () => {
  it.each(['c1', 'web-1', 'a.b_c', 'X', 'a'.repeat(128)])('accepts %s', (id) => {
    expect(checkContainerId(id)).toBe(id);
    expect(isValidName(id)).toBe(true);
  });

  it.each(['', '../x', 'a/b', '..', '.hidden', '-flag', 'a..b', 'a b', 'a'.repeat(129), 'é'])('rejects %j as INVALID_ARGUMENT', (id) => {
    expect(() => checkContainerId(id)).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
  });

  it('names the bad checkpoint name', () => {
    expect(() => checkCheckpointName('../escape')).toThrow(/checkpoint name "..\/escape" is invalid/);
    expect(() => checkCheckpointName('')).toThrow('checkpoint name is empty');
  });
});
