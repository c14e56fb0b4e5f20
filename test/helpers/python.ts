import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PYTHON } from './ci';
import { PROTO_DIR } from './paths';
import { tempDir } from './tmp';

const run = promisify(execFile);

/** Generate api_pb2.py / api_pb2_grpc.py from the repo's api.proto into a temp dir; returns it. */
export async function generatePythonStubs(): Promise<string> {
  const out = await tempDir('legacyd-pystubs');
  await run(PYTHON, ['-m', 'grpc_tools.protoc', `-I${PROTO_DIR}`, `--python_out=${out}`, `--grpc_python_out=${out}`, path.join(PROTO_DIR, 'api.proto')], {
    timeout: 60_000,
  });
  return out;
}

/**
 * Run a Python script with Debian's python3 (never the pyenv shim on PATH: it lacks grpcio),
 * bounded; rejects with its stderr on failure. Resolves with its stdout.
 */
export async function runPython(script: string, args: string[], timeoutMs = 90_000): Promise<string> {
  try {
    const { stdout } = await run(PYTHON, [script, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL' });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string; stdout?: string; code?: number | string };
    throw new Error(`${path.basename(script)} failed (${e.code}): ${e.stderr?.trim() || e.message}\nstdout: ${e.stdout ?? ''}`);
  }
}
