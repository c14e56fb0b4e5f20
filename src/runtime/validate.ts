import { invalidArgument } from '../errors';

// runc's own rule (libcontainer validateID); also keeps an id from being read as a flag.
const ID_RE = /^[\w+.-]+$/;

/** The id, if runc would accept it and it cannot be mistaken for a flag; else invalid-argument. */
export function containerId(id: string): string {
  if (!ID_RE.test(id) || id.startsWith('-') || id === '.' || id === '..') {
    throw invalidArgument(`invalid container id ${JSON.stringify(id)}: use letters, digits, '_', '+', '-', '.' (not leading '-')`);
  }
  return id;
}

/** Paths must be absolute: the monitor runs runc from another cwd, and "-x" must never look like a flag. */
export function absolutePath(what: string, path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0')) {
    throw invalidArgument(`${what} must be an absolute path, got ${JSON.stringify(path)}`);
  }
  return path;
}

/** Signal numbers runc accepts numerically; 0 only checks that the init process exists. */
export function signalNumber(signal: number): string {
  if (!Number.isInteger(signal) || signal < 0 || signal > 64) {
    throw invalidArgument(`invalid signal ${signal}: want an integer 0..64`);
  }
  return String(signal);
}
