import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where scripts/build-native.sh puts the native helper, under the package root. */
export const NATIVE_HELPER = path.join('dist', 'native', 'legacyd-helper');

/**
 * The built native helper of the package `from` lies in (the nearest directory above it with a
 * package.json), if it is there and executable; undefined otherwise (not built: no C compiler).
 */
export function builtNativeHelper(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const file = path.join(dir, NATIVE_HELPER);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
