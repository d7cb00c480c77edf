/**
 * Interleaved rounds of one part of the FTP benchmark (basic-ftp as in run.ts) against several
 * servers, with each server's CPU time per round (and its system, kernel, part) and the client's
 * (this process): `ab.ts <rounds> <server>...`, where a server is
 * `parley` (this tree's build, bundled), `pyftpdlib`, or the path of an already bundled
 * parley-server `.mjs` (a build to compare with: BENCH_FTP_KEEP=<dir> copies this tree's bundle
 * there). Prints each round and the medians. Environment: BENCH_FTP_PART (`logins`, the default:
 * 100 clients log in at once and download a 10 MiB file each; `stor`: one upload of a large
 * file; `retr`: one download of it), BENCH_FTP_CLIENTS (default 100), BENCH_FTP_SMALL_MB
 * (default 10), BENCH_FTP_MB (the large file, default 256), BENCH_FTP_MEMORY=1 (after each round,
 * a bundled Parley server prints its memory figures), BENCH_FTP_PROF_DIR (a directory: a server
 * given as a `.mjs` path runs with `node --cpu-prof` and writes its profile there).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuTimes, memoryMiB } from '../lib/proc.js';
import { median } from '../stats.js';
import { type Peer, startParley, startPyftpdlib, stopPeer } from './peers.js';
import { loginsAndDownloads, retr, stor } from './transfers.js';

const MIB = 1024 * 1024;
const [roundsArg = '5', ...names] = process.argv.slice(2);
const rounds = Number(roundsArg);
const clients = Number(process.env.BENCH_FTP_CLIENTS ?? 100);
const small = Number(process.env.BENCH_FTP_SMALL_MB ?? 10) * MIB;
const large = Number(process.env.BENCH_FTP_MB ?? 256) * MIB;
const part = process.env.BENCH_FTP_PART ?? 'logins';

const root = mkdtempSync(join(tmpdir(), 'parley-ftp-ab-'));
writeFileSync(
  join(root, 'small.bin'),
  Buffer.concat(Array.from({ length: small / MIB }, () => randomBytes(MIB))),
);
if (part !== 'logins') {
  writeFileSync(
    join(root, 'large.bin'),
    Buffer.concat(Array.from({ length: large / MIB }, () => randomBytes(MIB))),
  );
}
const peers: Peer[] = [];
try {
  for (const name of names) peers.push(await start(name));
  const keep = process.env.BENCH_FTP_KEEP;
  if (keep !== undefined) {
    mkdirSync(keep, { recursive: true });
    copyFileSync(join(root, '.bundle', 'parley-server.mjs'), join(keep, 'parley-server.mjs'));
  }
  const seconds = new Map<Peer, number[]>(peers.map((peer) => [peer, []]));
  const cpu = new Map<Peer, number[]>(peers.map((peer) => [peer, []]));
  const systemCpu = new Map<Peer, number[]>(peers.map((peer) => [peer, []]));
  const clientCpu = new Map<Peer, number[]>(peers.map((peer) => [peer, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? peers : [...peers].reverse();
    for (const peer of order) {
      const before = cpuTimes(peer.child.pid);
      const clientBefore = process.cpuUsage();
      const result = await runPart(peer);
      const after = cpuTimes(peer.child.pid);
      const system = after.system - before.system;
      const used = after.user - before.user + system;
      systemCpu.get(peer)?.push(system);
      const clientUsage = process.cpuUsage(clientBefore);
      const clientUsed = (clientUsage.user + clientUsage.system) / 1e6;
      clientCpu.get(peer)?.push(clientUsed);
      seconds.get(peer)?.push(result.seconds);
      cpu.get(peer)?.push(used);
      if (process.env.BENCH_FTP_MEMORY === '1') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        peer.child.kill('SIGUSR2');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      console.log(
        `round ${round} ${peer.name.padEnd(24)} ${result.seconds.toFixed(2)} s, server CPU ${used.toFixed(2)} s (system ${system.toFixed(2)}), client CPU ${clientUsed.toFixed(2)} s, VmRSS ${result.rssWhileConnected.toFixed(0)} MiB`,
      );
    }
  }
  for (const peer of peers) {
    console.log(
      `${peer.name.padEnd(24)} median ${median(seconds.get(peer) ?? []).toFixed(2)} s, server CPU ${median(cpu.get(peer) ?? []).toFixed(2)} s (system ${median(systemCpu.get(peer) ?? []).toFixed(2)}), client CPU ${median(clientCpu.get(peer) ?? []).toFixed(2)} s`,
    );
  }
} finally {
  for (const peer of peers) await stopPeer(peer);
  rmSync(root, { recursive: true, force: true });
}

/** One round of the part on one server: its wall time, and the server's VmRSS at the end. */
async function runPart(peer: Peer): Promise<{ seconds: number; rssWhileConnected: number }> {
  if (part === 'logins') return loginsAndDownloads(peer, clients, 'small.bin');
  const mbPerSecond =
    part === 'stor'
      ? await stor(peer, join(root, 'large.bin'), `upload-${peers.indexOf(peer)}.bin`, large)
      : await retr(peer, 'large.bin', large);
  return { seconds: large / 1e6 / mbPerSecond, rssWhileConnected: memoryMiB(peer.child.pid, 'VmRSS') };
}

async function start(name: string): Promise<Peer> {
  if (name === 'parley') return startParley(root);
  if (name === 'pyftpdlib') return startPyftpdlib(root);
  const profile = process.env.BENCH_FTP_PROF_DIR;
  const flags = profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profile];
  if (process.env.BENCH_FTP_MEMORY === '1') flags.push('--expose-gc');
  const child = spawn(process.execPath, [...flags, name, root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (line: Buffer) =>
      resolve(Number(/"port":\s*(\d+)/.exec(line.toString())?.[1])),
    );
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { name, port, child };
}
