/**
 * SMTP benchmark: messages per second of 1 KiB mails over 20 reused connections, driven by
 * postfix's `smtp-source` against (a) a Parley SMTP server whose handler drains the body,
 * (b) a plain `smtp-server` whose onData drains, (c) postfix's `smtp-sink` (the ceiling).
 *
 * Each server runs in its own process (the node ones from one bundle of `server.ts`, as plain
 * JavaScript), so none shares a heap, a garbage collector or an event loop with another or
 * with this driver. After a warm-up round each, rounds are interleaved with the order rotated
 * every round, and the medians of the rates and of the servers' CPU time per message (user +
 * system, from /proc) are reported with their ratios. CPU time per message is the steadier
 * figure on a busy machine: other processes taking the cores lower the rates, not the work a
 * server does per message.
 *
 * Both node servers greet after the same 100 ms early-talker delay (smtp-server's fixed
 * value, Parley's default), paid once per connection. `smtp-sink` and `smtp-source` come from
 * Debian's postfix package, unpacked to /tmp (downloaded here when missing, without
 * installing a mail system).
 *
 * Environment: SMTP_BENCH_MESSAGES (per round, default 6000), SMTP_BENCH_ROUNDS (default 7).
 * `--smoke` (or `BENCH_SMOKE=1`): 200 messages, one round.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { waitForPort } from '../../test/support/ports.js';
import { bundle } from '../lib/bundle.js';
import { cpuSeconds } from '../lib/proc.js';
import { recordResult } from '../lib/results.js';
import { setting } from '../lib/smoke.js';
import { median } from '../stats.js';
import { serverLines } from './server-lines.js';

const ROOT = '/tmp/postfix-root';
const SINK = `${ROOT}/usr/sbin/smtp-sink`;
const SOURCE = `${ROOT}/usr/sbin/smtp-source`;
const ENV = { ...process.env, LD_LIBRARY_PATH: `${ROOT}/usr/lib/postfix` };
const MESSAGES = setting('SMTP_BENCH_MESSAGES', 6000, 200);
const ROUNDS = setting('SMTP_BENCH_ROUNDS', 7, 1);
const SESSIONS = 20;
const SERVER = new URL('./server.ts', import.meta.url).pathname;

interface Target {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the server; a node server says how many messages its handler read, and how many bytes. */
  readonly stop: () => Promise<Drained | undefined>;
  readonly rates: number[];
  readonly cpu: number[];
}

function ensurePostfixTools(): void {
  if (existsSync(SINK) && existsSync(SOURCE)) return;
  console.log('Fetching smtp-sink and smtp-source from the postfix package...');
  execFileSync('apt-get', ['download', 'postfix'], { cwd: '/tmp', stdio: 'inherit' });
  const deb = readdirSync('/tmp').find((name) => /^postfix_.*\.deb$/.test(name));
  if (deb === undefined) throw new Error('apt-get download postfix produced no package');
  execFileSync('dpkg', ['-x', `/tmp/${deb}`, ROOT], { stdio: 'inherit' });
}

/** What a node server's handler read: messages, and the bytes of them it was handed. */
interface Drained {
  readonly count: number;
  readonly bytes: number;
}

/** CPU time (user + system) a process has used so far, in microseconds. */
const cpuMicros = (pid: number): number => cpuSeconds(pid) * 1_000_000;

/** Sends MESSAGES mails with smtp-source; returns messages per second and server CPU µs per message. */
async function load(target: Target, messages = MESSAGES): Promise<{ rate: number; cpu: number }> {
  const args = ['-d', '-s', String(SESSIONS), '-m', String(messages), '-l', '1024'];
  args.push('-f', 'bench@localhost', '-t', 'inbox@localhost', `127.0.0.1:${target.port}`);
  const cpuBefore = cpuMicros(target.pid);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(SOURCE, args, { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`smtp-source failed (${code}): ${errors}`));
      else resolve();
    });
  });
  const seconds = (performance.now() - started) / 1000;
  return { rate: messages / seconds, cpu: (cpuMicros(target.pid) - cpuBefore) / messages };
}

/**
 * server.ts bundled to plain JavaScript once per run (see ../lib/bundle.ts): under a TypeScript
 * loader, Parley's sources would pay for the loader's transforms while smtp-server, plain
 * JavaScript, would not. smtp-server stays external, so both servers run the same copy of it.
 */
let bundled: Promise<string> | undefined;

/** Starts `server.ts <kind>` in its own process; `stop` returns what its handler read. */
async function startNode(name: string, kind: 'parley' | 'plain'): Promise<Target> {
  bundled ??= bundle(SERVER, fileURLToPath(new URL('.build/server.mjs', import.meta.url)), {
    external: ['smtp-server'],
  });
  const child = spawn(process.execPath, [await bundled, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { port, lines } = await serverLines(child, `${name} server`);
  const stop = async (): Promise<Drained | undefined> => {
    child.kill('SIGTERM');
    const last = await lines.next();
    return last.done === true ? undefined : (JSON.parse(last.value) as Drained);
  };
  return { name, port, pid: child.pid as number, stop, rates: [], cpu: [] };
}

async function startSink(): Promise<Target> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(SINK, ['-u', 'nobody', `127.0.0.1:${port}`, '1000'], { env: ENV, stdio: 'ignore' });
  // Started once it accepts connections (a loaded machine may take longer than a moment).
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', () => reject(new Error('smtp-sink did not start'))),
  );
  exited.catch(() => undefined); // Its exit when stopped later is no failure.
  await Promise.race([waitForPort(port), exited]);
  const stop = async (): Promise<undefined> => {
    child.kill();
    return undefined;
  };
  return { name: 'smtp-sink', port, pid: child.pid as number, stop, rates: [], cpu: [] };
}

async function main(): Promise<void> {
  ensurePostfixTools();
  console.log(
    `load average before: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} (2 cores wanted idle)`,
  );
  const targets = [
    await startNode('parley', 'parley'),
    await startNode('smtp-server', 'plain'),
    await startSink(),
  ];
  const drained: (Drained | undefined)[] = [];
  try {
    for (const target of targets) await load(target); // warm-up: connections, JIT
    for (let round = 0; round < ROUNDS; round++) {
      const order = targets.map((_, index) => targets[(index + round) % targets.length] as Target);
      for (const target of order) {
        const { rate, cpu } = await load(target);
        target.rates.push(rate);
        target.cpu.push(cpu);
      }
      console.log(
        `round ${round + 1}: ${targets
          .map((t) => `${t.name} ${t.rates.at(-1)?.toFixed(0)}/s ${t.cpu.at(-1)?.toFixed(0)} µs`)
          .join(', ')}`,
      );
    }
  } finally {
    for (const target of targets) drained.push(await target.stop());
  }
  const expected = MESSAGES * (ROUNDS + 1);
  const [ofParley, ofPlain] = drained;
  if (ofParley?.count !== expected || ofPlain?.count !== expected) {
    throw new Error(
      `Messages lost: parley ${ofParley?.count}, smtp-server ${ofPlain?.count}, expected ${expected}`,
    );
  }
  // Each message carries 1 KiB of content (smtp-source -l 1024): every handler must have been
  // handed at least that much of each (the plain one also gets the header block).
  if (ofParley.bytes < expected * 1024 || ofPlain.bytes < expected * 1024) {
    throw new Error(
      `Bytes lost: parley ${ofParley.bytes}, smtp-server ${ofPlain.bytes}, expected at least ${expected * 1024}`,
    );
  }
  const [parley, plain, sink] = targets.map((t) => ({ rate: median(t.rates), cpu: median(t.cpu) })) as [
    { rate: number; cpu: number },
    { rate: number; cpu: number },
    { rate: number; cpu: number },
  ];
  console.log(
    `\n1 KiB messages over ${SESSIONS} reused connections (smtp-source -d), ${MESSAGES} per round, median of ${ROUNDS} rounds:`,
  );
  const row = (label: string, value: { rate: number; cpu: number }) =>
    console.log(
      `  ${label.padEnd(20)} ${value.rate.toFixed(0).padStart(6)} msg/s  ${value.cpu.toFixed(0)} µs CPU/msg`,
    );
  row('Parley SMTP server', parley);
  row('plain smtp-server', plain);
  row('postfix smtp-sink', sink);
  console.log(`  Parley / smtp-server = ${(parley.rate / plain.rate).toFixed(2)}x (target >= 1.0x)`);
  console.log(`  Parley / smtp-sink   = ${(parley.rate / sink.rate).toFixed(2)}x (target >= 0.5x)`);
  console.log(`  CPU per message, Parley / smtp-server = ${(parley.cpu / plain.cpu).toFixed(2)}x`);
  const detail = (peer: { rate: number; cpu: number }): string =>
    `${parley.rate.toFixed(0)} vs ${peer.rate.toFixed(0)} msg/s; CPU per message ${parley.cpu.toFixed(0)} vs ${peer.cpu.toFixed(0)} µs`;
  const common = { measure: 'msg/s, 1 KiB over 20 connections', higherIsBetter: true, unit: 'x' } as const;
  recordResult({
    ...common,
    ratio: parley.rate / plain.rate,
    target: 1,
    peer: 'smtp-server',
    detail: detail(plain),
  });
  recordResult({
    ...common,
    ratio: parley.rate / sink.rate,
    target: 0.5,
    peer: 'postfix smtp-sink',
    detail: detail(sink),
  });
  console.log(
    `  load average after: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
}

await main();
