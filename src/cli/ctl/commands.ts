import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { APIClient } from '../../proto/generated/types/API';
import type { Event__Output } from '../../proto/generated/types/Event';
import type { Stats__Output } from '../../proto/generated/types/Stats';
import type { StateResponse__Output } from '../../proto/generated/types/StateResponse';
import { attach } from './attach';
import { call } from './client';
import { bytes, percent, streamRow, table } from './output';

/** Live stats columns: "200.0%" and "1023.9 MiB" fit. */
const STATS_WIDTHS = [7, 10, 10];

export interface Out {
  json: boolean;
  write(s: string): void;
}

const state = (c: APIClient) => call<object, StateResponse__Output>(c.State.bind(c) as never, {});

export async function listContainers(c: APIClient, o: Out): Promise<void> {
  const s = await state(c);
  if (o.json) return o.write(JSON.stringify(s.containers, null, 2) + '\n');
  o.write(table(['ID', 'PID', 'STATUS', 'PROCESSES', 'BUNDLE'], s.containers.map((x) => [x.id, x.processes[0]?.pid ?? '', x.status, x.processes.length, x.bundlePath])));
}

export async function showState(c: APIClient, o: Out): Promise<void> {
  const s = await state(c);
  if (o.json) return o.write(JSON.stringify(s, null, 2) + '\n');
  const m = s.machine!;
  o.write(`machine ${m.id}: ${m.cpus} cpus, ${bytes(Number(m.memory))} memory\n\n`);
  await listContainers(c, o);
}

export async function initPid(c: APIClient, id: string): Promise<number> {
  const found = (await state(c)).containers.find((x) => x.id === id);
  if (!found) throw new Error(`container ${id} not found`);
  return found.processes[0]!.pid;
}

/** Subscribes to Events; resolves `waitExit(pid)` with that process's exit status. */
export function subscribe(c: APIClient): { ready: Promise<void>; waitExit(id: string, pid: number): Promise<number>; close(): void } {
  const stream = c.Events({});
  const seen: Event__Output[] = [];
  const waiters: (() => void)[] = [];
  stream.on('data', (e: Event__Output) => {
    seen.push(e);
    for (const w of waiters) w();
  });
  stream.on('error', () => undefined);
  return {
    // The server registers the subscription when the call arrives; metadata marks that.
    ready: new Promise((res) => {
      stream.once('metadata', () => res());
      setTimeout(res, 300);
    }),
    waitExit: (id, pid) =>
      new Promise((resolve) => {
        const check = () => {
          const e = seen.find((x) => x.type === 'exit' && x.id === id && x.pid === pid);
          if (e) resolve(e.status);
        };
        waiters.push(check);
        check();
      }),
    close: () => stream.cancel(),
  };
}

/**
 * Starts a process (container init or exec) with optional attached stdio. Attached: events are
 * subscribed first so the exit cannot be missed, and the result is the process's exit status.
 */
async function runProcess(
  c: APIClient,
  o: Out,
  id: string,
  attached: boolean,
  startFn: (stdio: { stdin: string; stdout: string; stderr: string }) => Promise<number>,
  say: (pid: number) => string,
): Promise<number> {
  const a = attached ? attach(!process.stdin.isTTY) : undefined;
  const events = a ? subscribe(c) : undefined;
  await events?.ready;
  try {
    const pid = await startFn({ stdin: a?.stdin ?? '', stdout: a?.stdout ?? '', stderr: a?.stderr ?? '' });
    if (!a || !events) {
      o.write(o.json ? JSON.stringify({ id, pid }) + '\n' : say(pid));
      return 0;
    }
    const status = await events.waitExit(id, pid);
    await a.drained;
    return status;
  } finally {
    events?.close();
    a?.close();
  }
}

/** `bundle` may be relative to the working directory, as with ctr; the API itself takes absolute paths only. */
export function start(c: APIClient, o: Out, id: string, bundle: string, opts: { checkpoint?: string; attach?: boolean }): Promise<number> {
  const bundlePath = path.resolve(bundle);
  return runProcess(
    c, o, id, !!opts.attach,
    async (stdio) =>
      (await call<object, { pid: number }>(c.CreateContainer.bind(c) as never, { id, bundlePath, checkpoint: opts.checkpoint ?? '', ...stdio }, 120_000)).pid,
    (pid) => `${id} started, pid ${pid}\n`,
  );
}

export function exec(
  c: APIClient,
  o: Out,
  id: string,
  args: string[],
  opts: { attach?: boolean; cwd?: string; env: string[]; user?: { uid: number; gid: number; additionalGids: number[] } },
): Promise<number> {
  if (args.length === 0) return Promise.reject(new Error('exec needs a command after --'));
  return runProcess(
    c, o, id, !!opts.attach,
    async (stdio) =>
      (await call<object, { pid: number }>(c.AddProcess.bind(c) as never, {
        id, args, env: opts.env, cwd: opts.cwd ?? '', user: opts.user ?? { uid: 0, gid: 0, additionalGids: [] }, ...stdio,
      })).pid,
    (pid) => `${pid}\n`,
  );
}

export async function signal(c: APIClient, id: string, pid: number | undefined, sig: number): Promise<void> {
  await call(c.Signal.bind(c) as never, { id, pid: pid ?? (await initPid(c, id)), signal: sig });
}

export async function update(c: APIClient, id: string, status: 'paused' | 'running'): Promise<void> {
  await call(c.UpdateContainer.bind(c) as never, { id, status, signal: 0 });
}

export async function events(c: APIClient, o: Out): Promise<void> {
  const stream = c.Events({});
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (e: Event__Output) => {
      if (o.json) o.write(JSON.stringify(e) + '\n');
      else o.write(`${e.type.padEnd(16)} ${e.id}${e.pid ? ` pid=${e.pid}` : ''}${e.type === 'exit' ? ` status=${e.status}` : ''}${e.checkpoint ? ` checkpoint=${e.checkpoint.name}` : ''}\n`);
    });
    stream.on('end', () => resolve());
    stream.on('error', (e: grpc.ServiceError) => reject(e));
  });
}

export async function stats(c: APIClient, o: Out, id: string, count: number): Promise<void> {
  const stream = c.GetStats({ id });
  let prev: { cpu: number; t: number } | undefined;
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (s: Stats__Output) => {
      n++;
      // The header with the first row: an unknown container gets the error alone.
      if (n === 1 && !o.json) o.write(streamRow(STATS_WIDTHS, ['CPU', 'MEMORY', 'NET RX', 'NET TX']));
      if (o.json) o.write(JSON.stringify(s) + '\n');
      else {
        const cpu = Number(s.cgroup_stats?.cpu_stats?.cpu_usage?.total_usage ?? 0);
        const t = Number(process.hrtime.bigint());
        const pct = prev ? (cpu - prev.cpu) / (t - prev.t) : 0;
        prev = { cpu, t };
        const rx = s.network_stats.reduce((a, x) => a + Number(x.rx_bytes), 0);
        const tx = s.network_stats.reduce((a, x) => a + Number(x.Tx_bytes), 0);
        o.write(streamRow(STATS_WIDTHS, [percent(pct), bytes(Number(s.cgroup_stats?.memory_stats?.usage?.usage ?? 0)), bytes(rx), bytes(tx)]));
      }
      if (count > 0 && n >= count) {
        stream.cancel();
        resolve();
      }
    });
    stream.on('end', () => resolve());
    stream.on('error', (e: grpc.ServiceError) => (e.code === 1 ? resolve() : reject(e)));
  });
}

export async function checkpointCreate(c: APIClient, id: string, name: string, f: { exit?: boolean; tcp?: boolean; unixSockets?: boolean; shell?: boolean }): Promise<void> {
  await call(c.CreateCheckpoint.bind(c) as never, { id, checkpoint: { name, exit: !!f.exit, tcp: !!f.tcp, unixSockets: !!f.unixSockets, shell: !!f.shell } }, 300_000);
}

export async function checkpointList(c: APIClient, o: Out, id: string): Promise<void> {
  const r = await call<object, { checkpoints: { name: string; exit: boolean; tcp: boolean; unixSockets: boolean; shell: boolean }[] }>(c.ListCheckpoint.bind(c) as never, { id });
  if (o.json) return o.write(JSON.stringify(r.checkpoints, null, 2) + '\n');
  o.write(table(['NAME', 'EXIT', 'TCP', 'UNIX SOCKETS', 'SHELL'], r.checkpoints.map((x) => [x.name, String(x.exit), String(x.tcp), String(x.unixSockets), String(x.shell)])));
}

export async function checkpointDelete(c: APIClient, id: string, name: string): Promise<void> {
  await call(c.DeleteCheckpoint.bind(c) as never, { id, name });
}
