#!/usr/bin/env node
import { Command } from 'commander';
import { connect, DEFAULT_ADDRESS, errorLine } from './ctl/client';
import * as cmd from './ctl/commands';
import { parseEnv, parseSignal, parseUser, parseWholeNumber } from './ctl/signals';
import type { APIClient } from '../proto/generated/types/API';

/** legacyctl: the ctr-like client of the v0 API. Parses flags and calls ctl/; no logic here. */
function main(argv: string[]): void {
  const program = new Command('legacyctl')
    .description('A ctr-like client for legacyd (the containerd v0 API)')
    .option('--address <addr>', 'legacyd address (unix:///path or tcp://host:port)', process.env.LEGACYD_ADDRESS ?? DEFAULT_ADDRESS)
    .configureOutput({ outputError: (s, write) => write(`legacyctl: ${s.replace(/^error: /, '').trim()}\n`) });
  const out = (json?: boolean): cmd.Out => ({ json: !!json, write: (s) => process.stdout.write(s) });
  let client: APIClient | undefined;
  const api = (): APIClient => (client ??= connect(program.opts().address));
  const run = (fn: () => Promise<number | void>) => async () => {
    try {
      const code = await fn();
      client?.close();
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (e) {
      process.stderr.write(`legacyctl: ${errorLine(e)}\n`);
      client?.close();
      process.exitCode = 1;
    }
  };
  const collect = (v: string, prev: string[]) => [...prev, parseEnv(v)];

  const containers = program.command('containers').description('start, list, exec into, signal, pause and resume containers');
  containers.command('start <id> <bundle>').description('start a container from a bundle (or restore it from a checkpoint)')
    .option('--checkpoint <name>', 'restore from this checkpoint of the bundle')
    .option('-a, --attach', 'stream its stdio and exit with its status')
    .option('--json', 'JSON output')
    .action((id: string, bundle: string, o) => run(() => cmd.start(api(), out(o.json), id, bundle, o))());
  containers.command('list').alias('ls').description('list containers').option('--json', 'JSON output')
    .action((o) => run(() => cmd.listContainers(api(), out(o.json)))());
  containers.command('exec').description('run a process in a container: exec --id ID [options] -- ARGS...')
    .requiredOption('--id <id>', 'container id')
    .option('-a, --attach', 'stream its stdio and exit with its status')
    .option('--cwd <dir>', 'working directory')
    .option('-e, --env <K=V>', 'environment (repeatable)', collect, [] as string[])
    .option('--user <uid[:gid]>', 'user (default root)')
    .option('--json', 'JSON output')
    .argument('<args...>', 'the command')
    .action((args: string[], o) => run(() => cmd.exec(api(), out(o.json), o.id, args, { attach: o.attach, cwd: o.cwd, env: o.env, user: o.user ? parseUser(o.user) : undefined }))());
  containers.command('kill <id>').description('signal a container process (the init by default)')
    .option('-p, --pid <pid>', 'process pid')
    .option('-s, --signal <sig>', 'signal name or number', 'TERM')
    .action((id: string, o) => run(() => cmd.signal(api(), id, o.pid ? parseWholeNumber('--pid', o.pid) : undefined, parseSignal(o.signal)))());
  containers.command('pause <id>').description('freeze a container').action((id: string) => run(() => cmd.update(api(), id, 'paused'))());
  containers.command('resume <id>').description('thaw a container').action((id: string) => run(() => cmd.update(api(), id, 'running'))());
  containers.command('stats <id>').description('live resource usage').option('--count <n>', 'stop after n samples', '0').option('--json', 'JSON lines')
    .action((id: string, o) => run(() => cmd.stats(api(), out(o.json), id, parseWholeNumber('--count', o.count)))());
  const cpFlags = (c: Command) =>
    c.option('--exit', 'stop the container after the dump').option('--tcp', 'allow open tcp connections')
      .option('--unix-sockets', 'allow external unix sockets').option('--shell', 'allow shell jobs');
  cpFlags(containers.command('checkpoint <id> <name>').description('checkpoint a container'))
    .action((id: string, name: string, o) => run(() => cmd.checkpointCreate(api(), id, name, o))());

  const checkpoints = program.command('checkpoints').description('create, list and delete checkpoints');
  cpFlags(checkpoints.command('create <id> <name>').description('checkpoint a container'))
    .action((id: string, name: string, o) => run(() => cmd.checkpointCreate(api(), id, name, o))());
  checkpoints.command('list <id>').alias('ls').description("list the container bundle's checkpoints").option('--json', 'JSON output')
    .action((id: string, o) => run(() => cmd.checkpointList(api(), out(o.json), id))());
  checkpoints.command('delete <id> <name>').alias('rm').description('delete a checkpoint')
    .action((id: string, name: string) => run(() => cmd.checkpointDelete(api(), id, name))());

  program.command('events').description('stream events').option('--json', 'JSON lines')
    .action((o) => run(() => cmd.events(api(), out(o.json)))());
  program.command('state').description('machine and containers').option('--json', 'JSON output')
    .action((o) => run(() => cmd.showState(api(), out(o.json)))());

  program.parse(argv);
}

main(process.argv);
