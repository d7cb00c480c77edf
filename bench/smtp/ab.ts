/**
 * Interleaved rounds of the SMTP benchmark's load (smtp-source, 1 KiB messages over 20
 * sessions, as run.ts) against several servers, to compare builds: `ab.ts <rounds> <server>...`,
 * where a server is `parley` (this tree's server.ts, bundled), `plain` (the plain smtp-server of
 * the same bundle) or the path of an already bundled server.ts (`<path>.mjs`, run as Parley; keep
 * one with `BENCH_SMTP_KEEP=<path>`, which copies this tree's bundle there). Prints each round's
 * messages per second and server CPU µs per message, then the medians and each server's median
 * per-round ratio of CPU per message to the first server's. Environment: SMTP_BENCH_MESSAGES
 * (per round, default 6000). Needs smtp-source (run `pnpm bench:smtp` once: it fetches it).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';
import { cpuSeconds } from '../lib/proc.js';
import { type AbMeasure, type AbServer, abRounds } from '../profile/ab-rounds.js';
import { median } from '../stats.js';
import { serverLines } from './server-lines.js';

const ROOT = '/tmp/postfix-root';
const SOURCE = `${ROOT}/usr/sbin/smtp-source`;
const ENV = { ...process.env, LD_LIBRARY_PATH: `${ROOT}/usr/lib/postfix` };
const MESSAGES = Number(process.env.SMTP_BENCH_MESSAGES ?? 6000);
const [roundsArg = '5', ...names] = process.argv.slice(2);
if (names.length === 0) throw new Error('usage: ab.ts <rounds> <parley|plain|bundle.mjs>...');
if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run pnpm bench:smtp once`);

const own = await bundle(
  fileURLToPath(new URL('./server.ts', import.meta.url)),
  fileURLToPath(new URL(`.build/ab-${process.pid}.mjs`, import.meta.url)),
  { external: ['smtp-server'] },
);
if (process.env.BENCH_SMTP_KEEP !== undefined) copyFileSync(own, process.env.BENCH_SMTP_KEEP);
const servers: AbServer[] = [];
try {
  for (const name of names) servers.push(await start(name));
  // One warm-up round each, not counted.
  for (const server of servers) await load(server, Math.min(MESSAGES, 2000));
  await abRounds(servers, Number(roundsArg), (server) => load(server, MESSAGES), 'msg', 1);
  const first = servers[0] as AbServer;
  for (const server of servers) {
    const ratios = server.cpu.map((cpu, round) => cpu / (first.cpu[round] as number));
    console.log(
      `${server.name.padEnd(40)} median ${median(server.rates).toFixed(0)} msg/s, CPU ${median(server.cpu).toFixed(1)} µs/msg, per-round CPU ratio to ${first.name} ${median(ratios).toFixed(3)}`,
    );
  }
} finally {
  for (const server of servers) server.child.kill('SIGTERM');
  rmSync(own, { force: true });
}

/** Starts one server in its own process. */
async function start(name: string): Promise<AbServer> {
  const [script, kind] = name === 'parley' || name === 'plain' ? [own, name] : [resolve(name), 'parley'];
  const child = spawn(process.execPath, [script, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { port } = await serverLines(child, name);
  return { name, port, child, rates: [], cpu: [] };
}

/** Sends `messages` mails with smtp-source: messages per second and server CPU µs per message. */
async function load(server: AbServer, messages: number): Promise<AbMeasure> {
  const args = ['-d', '-s', '20', '-m', String(messages), '-l', '1024'];
  args.push('-f', 'bench@localhost', '-t', 'inbox@localhost', `127.0.0.1:${server.port}`);
  const cpuBefore = cpuSeconds(server.child.pid);
  const started = performance.now();
  await new Promise<void>((done, fail) => {
    const source = spawn(SOURCE, args, { env: ENV, stdio: 'ignore' });
    source.once('error', fail);
    source.once('exit', (code) => (code === 0 ? done() : fail(new Error(`smtp-source exited ${code}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  return { rate: messages / seconds, cpu: ((cpuSeconds(server.child.pid) - cpuBefore) * 1e6) / messages };
}
