#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../log';
import { DEFAULTS, parseCgroupParent, parseDuration, parseHostPort, parseLogLevel, type DaemonFlags } from './flags';
import { startDaemon } from './daemon';

function wrap<T>(parse: (s: string) => T): (s: string) => T {
  return (s) => {
    try {
      return parse(s);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('legacyd')
    .description('Serves the legacy containerd v0 gRPC API over runc, with CRIU checkpoints and Prometheus metrics.')
    .option('--listen <addr>', 'gRPC address: unix:///path.sock or tcp://host:port', DEFAULTS.listen)
    .option('--state-dir <dir>', 'state directory (containers, runc root)', DEFAULTS.stateDir)
    .option('--metrics-listen <host:port>', 'Prometheus /metrics address ("" disables)', DEFAULTS.metricsListen)
    .option('--runtime <path>', 'OCI runtime binary', DEFAULTS.runtime)
    .option('--criu <path>', 'CRIU binary for checkpoints (default: a working one found on the machine)', DEFAULTS.criu)
    .option('--log-level <level>', 'debug, info, warn or error', wrap(parseLogLevel), DEFAULTS.logLevel)
    .option('--stats-interval <duration>', 'GetStats period', wrap((s) => parseDuration('--stats-interval', s)), DEFAULTS.statsIntervalMs)
    .option('--cgroup-parent <path>', 'cgroup parent for containers whose spec names no cgroupsPath', wrap(parseCgroupParent), DEFAULTS.cgroupParent)
    .option('--label-allowlist <keys>', 'comma-separated bundle annotations exported as container_label_*', (s: string) => s.split(',').filter(Boolean), DEFAULTS.labelAllowlist)
    .showHelpAfterError(false)
    .configureOutput({ outputError: (s, write) => write(`legacyd: ${s.replace(/^error: /, '').trim()}\n`) })
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  program.parse(argv);
  const o = program.opts();
  const flags: DaemonFlags = {
    listen: o.listen,
    stateDir: o.stateDir,
    metricsListen: o.metricsListen,
    runtime: o.runtime,
    criu: o.criu,
    logLevel: o.logLevel,
    statsIntervalMs: o.statsInterval,
    cgroupParent: o.cgroupParent,
    labelAllowlist: o.labelAllowlist,
  };
  if (flags.metricsListen) parseHostPort('--metrics-listen', flags.metricsListen);
  const log = createLogger(flags.logLevel);
  const daemon = await startDaemon(flags, log);
  // The one ready line, whatever the log level: scripts and tests wait for it.
  process.stderr.write(`legacyd ready: serving ${daemon.api.url}${flags.metricsListen ? ` metrics on http://${flags.metricsListen}/metrics` : ''}\n`);
  let stopping = false;
  const stop = (sig: string): void => {
    if (stopping) {
      // A second signal: leave at once (containers are still left running).
      process.exit(0);
    }
    stopping = true;
    log.info('shutting down; containers keep running', { signal: sig });
    const hard = setTimeout(() => process.exit(0), 5_000);
    hard.unref();
    void daemon.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`legacyd: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(1);
});
