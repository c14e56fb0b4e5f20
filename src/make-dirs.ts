import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidArgument } from './errors';

/**
 * mkdir -p for a directory a flag names, failing with the reason as invalid-argument (`what`
 * says which, e.g. "the state dir"). Not Node's recursive mkdir: that one spins forever where
 * mkdir says ENOENT under a parent that exists, as in /proc.
 */
export function makeDirs(dir: string, mode: number, what: string): void {
  try {
    fs.mkdirSync(dir, { mode });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const parent = path.dirname(dir);
    if (code === 'EEXIST' && fs.statSync(dir).isDirectory()) return;
    if (code === 'ENOENT' && parent !== dir && !fs.existsSync(parent)) {
      makeDirs(parent, mode, what);
      return makeDirs(dir, mode, what);
    }
    throw invalidArgument(`cannot make ${what} ${dir}: ${code === 'EEXIST' ? 'not a directory' : (e as Error).message}`, e);
  }
}
