import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { DAEMON_BIN } from './paths';

/** CI runs `.ci/run` with CI=true: there a skipped integration suite would be a silent pass. */
export const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/**
 * Returns `ok`. A missing prerequisite fails the suite in CI (thrown while collecting, so the
 * file is reported as failed); elsewhere it is reported and the caller skips.
 */
export function requireOrFail(what: string, ok: boolean): boolean {
  if (ok) return true;
  if (IN_CI) {
    throw new Error(`integration prerequisite missing in CI: ${what}. Integration suites must run in CI, not skip.`);
  }
  console.warn(`[integration] skipping: ${what}`);
  return false;
}

function runs(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

export const PYTHON = '/usr/bin/python3';

/**
 * The machine can run the integration suites: root, runc, busybox-static, the built daemon
 * (and Debian's python3 with grpcio + grpc_tools when `python`). Checks every item, so the
 * report names the first missing one; call at module level and `describe.skipIf(!ready)`.
 */
export function integrationPrerequisites(opts: { python?: boolean } = {}): boolean {
  const checks: Array<[string, () => boolean]> = [
    ['running as root (containers need it)', () => process.getuid?.() === 0],
    ['runc on PATH (apt-get install runc)', () => runs('runc', ['--version'])],
    ['busybox-static on PATH (apt-get install busybox-static)', () => runs('busybox', ['true'])],
    [`the built daemon at ${DAEMON_BIN} (npm run build)`, () => fs.existsSync(DAEMON_BIN)],
  ];
  if (opts.python) {
    checks.push([
      `${PYTHON} with grpcio and grpc_tools (apt-get install python3-grpcio python3-grpc-tools)`,
      () => runs(PYTHON, ['-c', 'import grpc, grpc_tools.protoc']),
    ]);
  }
  return checks.every(([what, check]) => requireOrFail(what, check()));
}
