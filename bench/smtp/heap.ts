/**
 * Bytes one SMTP server of the benchmark allocates per message, by allocation site:
 * `heap.ts <parley|plain> [bundle.mjs] [warm-up=5000] [counted=5000]` runs server.ts (this tree's,
 * bundled, or an already bundled copy) with BENCH_SMTP_HEAP, sends it `warm-up` messages with
 * smtp-source (1 KiB, 20 sessions, as run.ts), samples the heap (collected objects included) over
 * `counted` more, and prints the bytes per message in all and for the functions that allocated
 * the most (PROFILE_TOP of them, default 25). Needs smtp-source (run `pnpm bench:smtp` once: it
 * fetches it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';
import { serverLines } from './server-lines.js';

const ROOT = '/tmp/postfix-root';
const SOURCE = `${ROOT}/usr/sbin/smtp-source`;
const ENV = { ...process.env, LD_LIBRARY_PATH: `${ROOT}/usr/lib/postfix` };
const [kind = 'parley', given, warmupArg = '5000', countedArg = '5000'] = process.argv.slice(2);
if (kind !== 'parley' && kind !== 'plain') throw new Error('usage: heap.ts <parley|plain> [bundle.mjs]');
if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run pnpm bench:smtp once`);

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const own = given === undefined || given === '-';
const script = own
  ? await bundle(
      fileURLToPath(new URL('./server.ts', import.meta.url)),
      fileURLToPath(new URL(`.build/heap-${process.pid}.mjs`, import.meta.url)),
      { external: ['smtp-server'] },
    )
  : resolve(given);
const dir = mkdtempSync(join(tmpdir(), 'parley-smtp-heap-'));
const out = join(dir, 'heap.json');
const child = spawn(process.execPath, [script, kind], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, BENCH_SMTP_HEAP: out },
});
try {
  const { port } = await serverLines(child, 'the server');
  await send(port, Number(warmupArg));
  child.kill('SIGUSR2');
  await new Promise((done) => setTimeout(done, 200));
  await send(port, Number(countedArg));
  child.kill('SIGUSR2');
  for (let waited = 0; !existsSync(out) && waited < 100; waited++)
    await new Promise((done) => setTimeout(done, 100));
  const { messages, profile } = JSON.parse(readFileSync(out, 'utf8')) as {
    messages: number;
    profile: { head: ProfileNode };
  };
  const bySite = new Map<string, number>();
  const walk = (node: ProfileNode): void => {
    const frame = node.callFrame;
    const site = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-1)[0]}:${frame.lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const next of node.children) walk(next);
  };
  walk(profile.head);
  const total = [...bySite.values()].reduce((sum, bytes) => sum + bytes, 0);
  console.log(
    `smtp ${kind}: ${(total / messages / 1024).toFixed(2)} KB allocated per message (${messages} messages)`,
  );
  for (const [site, bytes] of [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.env.PROFILE_TOP ?? 25)))
    console.log(`  ${(bytes / messages).toFixed(0).padStart(6)} B  ${site}`);
} finally {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  if (own) rmSync(script, { force: true });
}

/** Sends `messages` 1 KiB mails over 20 sessions with smtp-source. */
function send(port: number, messages: number): Promise<void> {
  const args = ['-d', '-s', '20', '-m', String(messages), '-l', '1024'];
  args.push('-f', 'bench@localhost', '-t', 'inbox@localhost', `127.0.0.1:${port}`);
  return new Promise<void>((done, fail) => {
    const source = spawn(SOURCE, args, { env: ENV, stdio: 'ignore' });
    source.once('error', fail);
    source.once('exit', (code) => (code === 0 ? done() : fail(new Error(`smtp-source exited ${code}`))));
  });
}
