import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The daemon under test; LEGACYD_BIN points the suites at another build of it. */
export const DAEMON_BIN = process.env.LEGACYD_BIN ?? path.join(REPO_ROOT, 'dist', 'src', 'cli', 'legacyd.js');

export const MAKE_BUNDLE = path.join(REPO_ROOT, 'scripts', 'make-bundle.sh');

export const PROTO_DIR = path.join(REPO_ROOT, 'api', 'grpc', 'types');
