/**
 * SMTP benchmark: messages per second of 1 KiB mails over 20 reused connections, driven by
 * postfix's `smtp-source` against (a) a Parley SMTP server whose handler drains the body,
 * (b) a plain `smtp-server` whose onData drains, (c) postfix's `smtp-sink` (the ceiling).
 * Rounds are interleaved; the median of each is reported with the ratios.
 *
 * Both node servers greet after the same 100 ms early-talker delay (smtp-server's fixed
 * value, Parley's default), paid once per connection, and both run in this process.
 * `smtp-sink` and `smtp-source` come from Debian's postfix package, unpacked to /tmp
 * (downloaded here when missing, without installing a mail system).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRouter, createServer, type Request, respond } from '@parley/core';
import { smtp } from '@parley/smtp';
import { SMTPServer } from 'smtp-server';

const ROOT = '/tmp/postfix-root';
const SINK = `${ROOT}/usr/sbin/smtp-sink`;
const SOURCE = `${ROOT}/usr/sbin/smtp-source`;
const ENV = { ...process.env, LD_LIBRARY_PATH: `${ROOT}/usr/lib/postfix` };
const MESSAGES = Number(process.env.SMTP_BENCH_MESSAGES ?? 4000);
const ROUNDS = Number(process.env.SMTP_BENCH_ROUNDS ?? 5);
const SESSIONS = 20;

function ensurePostfixTools(): void {
  if (existsSync(SINK) && existsSync(SOURCE)) return;
  console.log('Fetching smtp-sink and smtp-source from the postfix package...');
  execFileSync('apt-get', ['download', 'postfix'], { cwd: '/tmp', stdio: 'inherit' });
  const deb = readdirSync('/tmp').find((name) => /^postfix_.*\.deb$/.test(name));
  if (deb === undefined) throw new Error('apt-get download postfix produced no package');
  execFileSync('dpkg', ['-x', `/tmp/${deb}`, ROOT], { stdio: 'inherit' });
}

/** Sends MESSAGES mails with smtp-source and returns messages per second. */
function load(port: number): Promise<number> {
  const args = ['-d', '-s', String(SESSIONS), '-m', String(MESSAGES), '-l', '1024'];
  args.push('-f', 'bench@localhost', '-t', 'inbox@localhost', `127.0.0.1:${port}`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(SOURCE, args, { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`smtp-source failed (${code}): ${errors}`));
      resolve(MESSAGES / ((performance.now() - started) / 1000));
    });
  });
}

async function startParley(counter: { count: number }) {
  const drain = async (request: Request) => {
    for await (const _chunk of request.body) {
      // drain
    }
    counter.count++;
    return respond('ok');
  };
  const server = createServer(createRouter().post('/inbox', drain));
  const listener = await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 100 }));
  return { port: Number(new URL(listener.url).port), close: () => server.close({ timeoutMs: 1000 }) };
}

async function startPlain(counter: { count: number }) {
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        counter.count++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function startSink() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(SINK, ['-u', 'nobody', `127.0.0.1:${port}`, '1000'], { env: ENV, stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (child.exitCode !== null) throw new Error('smtp-sink did not start');
  return {
    port,
    close: async () => {
      child.kill();
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  ensurePostfixTools();
  const parleyCount = { count: 0 };
  const plainCount = { count: 0 };
  const targets = [
    { name: 'parley', server: await startParley(parleyCount), rates: [] as number[] },
    { name: 'smtp-server', server: await startPlain(plainCount), rates: [] as number[] },
    { name: 'smtp-sink', server: await startSink(), rates: [] as number[] },
  ];
  try {
    for (const target of targets) await load(target.server.port); // warm-up
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) target.rates.push(await load(target.server.port));
      console.log(
        `round ${round}: ${targets.map((t) => `${t.name} ${t.rates.at(-1)?.toFixed(0)}/s`).join(', ')}`,
      );
    }
  } finally {
    await Promise.all(targets.map((target) => target.server.close()));
  }
  const expected = MESSAGES * (ROUNDS + 1);
  if (parleyCount.count !== expected || plainCount.count !== expected) {
    throw new Error(
      `Messages lost: parley ${parleyCount.count}, smtp-server ${plainCount.count}, expected ${expected}`,
    );
  }
  const [parley, plain, sink] = targets.map((target) => median(target.rates)) as [number, number, number];
  console.log(
    `\n1 KiB messages over ${SESSIONS} reused connections (smtp-source -d), median of ${ROUNDS} rounds:`,
  );
  console.log(`  Parley SMTP server   ${parley.toFixed(0)} msg/s`);
  console.log(`  plain smtp-server    ${plain.toFixed(0)} msg/s`);
  console.log(`  postfix smtp-sink    ${sink.toFixed(0)} msg/s`);
  console.log(`  Parley / smtp-server = ${(parley / plain).toFixed(2)}x (target >= 1.0x)`);
  console.log(`  Parley / smtp-sink   = ${(parley / sink).toFixed(2)}x (target >= 0.5x)`);
}

await main();
