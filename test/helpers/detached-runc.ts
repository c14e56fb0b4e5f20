import type { MonitorSpawner } from '../../src/supervisor/monitor-spawner';

/**
 * Stands in for `runc run -d`: starts argv as its child, writes its pid file (tmp, rename) and
 * exits 0 without waiting, so the process is left to the monitor, its subreaper. Perl, not sh:
 * a shell would reap a quick child itself while it runs `mv`.
 */
const DETACHED_RUNC = String.raw`
use POSIX ();
my $dir = shift;
my $p = fork() // POSIX::_exit(1);
if ($p == 0) { exec { $ARGV[0] } @ARGV; POSIX::_exit(127) }
open(my $f, '>', "$dir/pid.tmp") or POSIX::_exit(1); print $f $p; close $f; rename("$dir/pid.tmp", "$dir/pid");
POSIX::_exit(0);
`;

/** The argv a monitor of `spawner` runs in place of runc, for the process `argv` (its pid file in `dir`). */
export function runcStandIn(spawner: MonitorSpawner, dir: string, argv: string[]): string[] {
  return spawner.detached ? ['perl', '-e', DETACHED_RUNC, dir, ...argv] : argv;
}
