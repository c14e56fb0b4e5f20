/** Fake runc binaries for tests: tiny scripts written to a temp dir at test time. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class FakeRuncDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'legacyd-fake-runc-'));
  private n = 0;

  /** A /bin/sh script with this body. */
  script(body: string): string {
    const file = join(this.dir, `runc-${++this.n}`);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** Prints its argv (without argv[0]) as a JSON array on stdout and exits 0. */
  echoArgv(): string {
    const file = join(this.dir, `runc-${++this.n}`);
    writeFileSync(file, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** Prints this text on stdout and exits 0. */
  printing(stdout: string): string {
    return this.script(`cat <<'__END__'\n${stdout}\n__END__`);
  }

  file(name: string, content: string): string {
    const f = join(this.dir, name);
    writeFileSync(f, content);
    return f;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
