/**
 * Instructions per message of one SMTP server of the benchmark, counted rather than timed:
 * `callgrind.ts <parley|plain> [bundle.mjs] [warm-up=5000] [counted=3000]` runs server.ts (this
 * tree's, bundled, or an already bundled copy to compare with) under `valgrind --tool=callgrind`
 * with `node --single-threaded --perf-basic-prof` and a fixed 16 MiB young generation, sends it
 * `warm-up` messages with smtp-source (1 KiB, 20 sessions, as run.ts), switches instrumentation
 * on, sends `counted` more, switches it off and stops the server. Prints the instructions per
 * message, without and with the JIT compiler's (see ../profile/callgrind-self.ts), and with
 * PROFILE_TOP=N the N functions that ran the most per message (JIT code named from V8's perf
 * map). BENCH_SMTP_KEEP=<path> copies this tree's bundle there, to count it again later.
 * Needs smtp-source (run `pnpm bench:smtp` once: it fetches it).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';
import { endCallgrind, instrument, printTopFunctions, startCallgrind } from '../profile/callgrind-run.js';
import { readCallgrind } from '../profile/callgrind-self.js';
import { serverLines } from './server-lines.js';

const ROOT = '/tmp/postfix-root';
const SOURCE = `${ROOT}/usr/sbin/smtp-source`;
const ENV = { ...process.env, LD_LIBRARY_PATH: `${ROOT}/usr/lib/postfix` };
const [kind = 'parley', given, warmupArg = '5000', countedArg = '3000'] = process.argv.slice(2);
if (kind !== 'parley' && kind !== 'plain') throw new Error('usage: callgrind.ts <parley|plain> [bundle.mjs]');
if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run pnpm bench:smtp once`);
const counted = Number(countedArg);

const script =
  given !== undefined && given !== '-'
    ? resolve(given)
    : await bundle(
        fileURLToPath(new URL('./server.ts', import.meta.url)),
        fileURLToPath(new URL(`.build/server-${process.pid}.mjs`, import.meta.url)),
        { external: ['smtp-server'] },
      );
if (process.env.BENCH_SMTP_KEEP !== undefined) copyFileSync(script, process.env.BENCH_SMTP_KEEP);
const run = startCallgrind('smtp', script, [kind]);
const { child } = run;
try {
  const { port, lines } = await serverLines(child, 'the server');
  await send(port, Number(warmupArg));
  instrument(run, true);
  await send(port, counted);
  instrument(run, false);
  child.kill('SIGTERM');
  await lines.next();
  await new Promise((resolve) => child.once('exit', resolve));
  const counts = readCallgrind(run.out);
  const per = (n: number): string => `${(n / counted / 1000).toFixed(1)}k`;
  console.log(
    `smtp ${kind}: ${per(counts.total - counts.compiling)} instructions per message, ${per(counts.total)} with compiling`,
  );
  printTopFunctions(run, counts, per);
} finally {
  endCallgrind(run);
  if (given === undefined || given === '-') rmSync(script, { force: true });
}

/** Sends `messages` 1 KiB mails over 20 sessions with smtp-source. */
function send(port: number, messages: number): Promise<void> {
  const args = ['-d', '-s', '20', '-m', String(messages), '-l', '1024'];
  args.push('-f', 'bench@localhost', '-t', 'inbox@localhost', `127.0.0.1:${port}`);
  return new Promise<void>((resolve, reject) => {
    const source = spawn(SOURCE, args, { env: ENV, stdio: 'ignore' });
    source.once('error', reject);
    source.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`smtp-source exited ${code}`))));
  });
}
