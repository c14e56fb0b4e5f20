import { execFile } from 'node:child_process';

/** Whether checkpoints can work here, and why not. */
export interface CriuStatus {
  ok: boolean;
  path: string;
  reason: string;
}

/** Where scripts/install-criu.sh puts a CRIU that works on kernels bookworm's 3.17 does not. */
export const DEFAULT_CRIU_CANDIDATES = ['/opt/legacyd-criu/bin/criu', 'criu'];

function check(path: string, timeoutMs: number): Promise<CriuStatus> {
  return new Promise((resolve) => {
    execFile(path, ['check'], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const text = `${stdout}\n${stderr}`;
      if (!err && /Looks good/.test(text)) resolve({ ok: true, path, reason: 'criu check: Looks good.' });
      else {
        const why = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? 'not found' : text.trim().split('\n').filter(Boolean).pop() ?? String(err);
        resolve({ ok: false, path, reason: `${path}: ${why}` });
      }
    });
  });
}

/**
 * `criu check` on the given path, or on the default candidates in order; the first that passes
 * wins (bookworm's 3.17 on PATH fails the check on current kernels, so it is not simply taken).
 */
export async function findCriu(explicit: string | undefined, timeoutMs = 20_000, defaults: readonly string[] = DEFAULT_CRIU_CANDIDATES): Promise<CriuStatus> {
  const candidates = explicit ? [explicit] : defaults;
  const failures: string[] = [];
  for (const c of candidates) {
    const r = await check(c, timeoutMs);
    if (r.ok) return r;
    failures.push(r.reason);
  }
  return { ok: false, path: candidates[0]!, reason: `no working CRIU (${failures.join('; ')}); run scripts/install-criu.sh or pass --criu` };
}
