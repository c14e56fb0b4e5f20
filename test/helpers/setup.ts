import { afterAll } from 'vitest';
import { removeTempDirs } from './tmp';

// Every test file: the temp dirs its helpers made (bundles of ~2 MB each, state dirs) go when it
// is done, whether or not it used the daemon fixture (which also removes them).
afterAll(() => removeTempDirs());
