import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type Server } from '@parley/core';
import { type FtpListener, ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AtomicDiskStore, openAtomicDiskStore } from './atomic-disk-store.js';
import { PYTHON, peerAvailable, runPeer } from './peers.js';
import { eventually } from './serve.js';

const hasCurl = peerAvailable('curl');
const hasPython = peerAvailable(PYTHON, ['-c', 'import ftplib']);

/**
 * An ftplib client that dies in the middle of `STOR`: `term` (SIGTERM), `exit` (the process
 * exits; the system closes its sockets with FIN), `rst` (SO_LINGER 0 on both connections, then
 * SIGKILL: the system resets them) or `rst-control` (only the control connection is reset).
 */
const DYING_UPLOAD = `
import ftplib, os, signal, socket, struct, sys
port, name, mode, chunks = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
ftp = ftplib.FTP()
ftp.connect('127.0.0.1', port, timeout=20)
ftp.login('anonymous', 'guest')
ftp.voidcmd('TYPE I')
data = ftp.transfercmd('STOR ' + name)
for _ in range(chunks):
    data.sendall(b'partial!' * 8192)
reset = struct.pack('ii', 1, 0)
if mode == 'term':
    os.kill(os.getpid(), signal.SIGTERM)
elif mode == 'exit':
    os._exit(3)
else:
    ftp.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset)
    if mode == 'rst':
        data.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset)
    os.kill(os.getpid(), signal.SIGKILL)
`;

const OLD = (name: string): string => `the old content of ${name}\n`;

let server: Server;
let listener: FtpListener;
let store: AtomicDiskStore;
let port: number;

beforeAll(async () => {
  store = await openAtomicDiskStore();
  server = createServer(store.handle);
  listener = (await server.listen(ftp('ftp://127.0.0.1:0'))) as FtpListener;
  port = Number(new URL(listener.url).port);
});
afterAll(async () => {
  await server.close({ timeoutMs: 2000 });
  await store.remove();
});

/** One killed upload: over a new name or over an existing file. */
interface Kill {
  readonly name: string;
  readonly existing: boolean;
  readonly mode: string;
}

function plan(prefix: string, modes: readonly string[], count: number): Kill[] {
  return Array.from({ length: count }, (_, i) => {
    const mode = modes[i % modes.length] as string;
    const existing = Math.floor(i / modes.length) % 2 === 1;
    return { name: `${prefix}-${i}-${mode}-${existing ? 'old' : 'new'}.bin`, existing, mode };
  });
}

/** Runs the kills in small concurrent batches, then checks no upload left a trace. */
async function runKills(kills: readonly Kill[], kill: (run: Kill) => Promise<void>): Promise<void> {
  for (const run of kills) if (run.existing) await writeFile(join(store.dir, run.name), OLD(run.name));
  for (let i = 0; i < kills.length; i += 5) {
    await Promise.all(kills.slice(i, i + 5).map(kill));
    await eventually(() => store.writing() === 0 && listener.stats().connections === 0, 20_000);
  }
  const found = await Promise.all(
    kills.map(async (run) => {
      const content = await readFile(join(store.dir, run.name), 'utf8').catch(() => undefined);
      const state =
        content === undefined ? 'absent' : content === OLD(run.name) ? 'old' : `${content.length} bytes`;
      return `${run.name}: ${state}`;
    }),
  );
  expect(found).toEqual(kills.map((run) => `${run.name}: ${run.existing ? 'old' : 'absent'}`));
  const names = kills.map((run) => run.name);
  const committed = store.outcomes.filter(
    (entry) => names.includes(entry.name) && (entry.outcome === 'created' || entry.outcome === 'replaced'),
  );
  expect(committed).toEqual([]);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

describe.skipIf(!hasPython)('uploads cut off midway: Python ftplib dies during STOR', () => {
  it('never creates a partial file nor replaces an existing one (FIN and RST, 20 kills)', async () => {
    const kills = plan('py', ['term', 'exit', 'rst', 'rst-control'], 20);
    await runKills(kills, async (run, index = kills.indexOf(run)) => {
      const chunks = 1 + (index % 7) * 3;
      const args = ['-c', DYING_UPLOAD, String(port), run.name, run.mode, String(chunks)];
      await exited(spawn(PYTHON, args, { stdio: 'ignore' }));
    });
  }, 120_000);
});

describe.skipIf(!hasCurl)('uploads cut off midway: curl -T is killed during STOR', () => {
  it('never creates a partial file nor replaces an existing one (SIGTERM and SIGKILL, 20 kills)', async () => {
    const kills = plan('curl', ['SIGTERM', 'SIGKILL'], 20);
    await runKills(kills, async (run) => {
      const child = spawn('curl', ['-sS', '-T', '-', `ftp://127.0.0.1:${port}/${run.name}`], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.stdin?.on('error', () => {});
      child.stdin?.write(Buffer.alloc(200_000, 'curl'));
      await eventually(() => (store.received.get(`/${run.name}`) ?? 0) > 0, 20_000);
      child.kill(run.mode as NodeJS.Signals);
      await exited(child);
    });
  }, 120_000);

  it('still commits a complete upload', async () => {
    const file = join(store.dir, 'source.bin');
    await writeFile(file, Buffer.alloc(300_000, 'whole'));
    const run = await runPeer('curl', ['-sS', '-T', file, `ftp://127.0.0.1:${port}/whole.bin`]);
    expect(run.code).toBe(0);
    expect((await readFile(join(store.dir, 'whole.bin'))).equals(await readFile(file))).toBe(true);
  });
});
