import * as path from 'node:path';
import { builtNativeHelper } from '../../src/supervisor/native-helper';

/** The built native helper; the build (`npm run build`, part of `make test`) must have made it. */
export function mustBeBuilt(): string {
  const file = builtNativeHelper(path.join(__dirname, '..'));
  if (!file) throw new Error('dist/native/legacyd-helper is not built: run `npm run build` with a C compiler (gcc) installed');
  return file;
}
