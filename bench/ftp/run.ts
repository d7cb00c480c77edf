/**
 * FTP benchmark: the Parley FTP server (serving a directory on disk through a Parley router,
 * see disk-store.ts) against pyftpdlib serving the same directory, in the same run, driven by
 * the same client (basic-ftp, passive mode, binary).
 *
 * - STOR and RETR of a large file (256 MiB on disk), interleaved rounds, median MB/s;
 * - 100 concurrent logins, each followed by a 10 MiB download: wall time, median;
 * - peak memory (VmHWM) of the Parley server process, and its VmRSS while 100 clients stay connected;
 * - CPU seconds each server process spends per GiB stored and retrieved (on a machine whose cores
 *   are shared with the client, throughput follows the server's CPU cost per byte).
 *
 * Run with `pnpm bench:ftp`. Environment: BENCH_FTP_MB (large file size in MiB, default 256),
 * BENCH_FTP_ROUNDS (default 3).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from 'basic-ftp';
import { bundle } from '../lib/bundle.js';
import { median } from '../stats.js';

const MIB = 1024 * 1024;
const LARGE_BYTES = Number(process.env.BENCH_FTP_MB ?? 256) * MIB;
const SMALL_BYTES = 10 * MIB;
const ROUNDS = Number(process.env.BENCH_FTP_ROUNDS ?? 5);
const CLIENTS = 100;
const PYTHON = '/usr/bin/python3';
const HERE = fileURLToPath(new URL('.', import.meta.url));

interface Peer {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}

interface Results {
  stor: number[];
  retr: number[];
  logins: number[];
  /** Server CPU seconds (user + system, all threads) per GiB stored. */
  storCpu: number[];
  /** Server CPU seconds per GiB retrieved. */
  retrCpu: number[];
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'parley-bench-ftp-'));
  const peers: Peer[] = [];
  try {
    console.log(`FTP benchmark: files under ${root}, ${ROUNDS} interleaved rounds`);
    await writeFile(join(root, 'large.bin'), LARGE_BYTES);
    await writeFile(join(root, 'small.bin'), SMALL_BYTES);
    // Only the large files live at the top of `root`; the bundle goes in a hidden folder.
    const parley = await startParley(root);
    peers.push(parley);
    const baseline = memory(parley.child.pid, 'VmRSS');
    peers.push(await startPyftpdlib(root));
    const results = new Map<string, Results>(
      peers.map((peer) => [peer.name, { stor: [], retr: [], logins: [], storCpu: [], retrCpu: [] }]),
    );
    const parleyRss: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? peers : [...peers].reverse();
      for (const peer of order) {
        const result = results.get(peer.name) as Results;
        let cpuBefore = cpuSeconds(peer.child.pid);
        result.stor.push(await stor(peer, join(root, 'large.bin'), `upload-${peer.name}.bin`));
        result.storCpu.push((cpuSeconds(peer.child.pid) - cpuBefore) / (LARGE_BYTES / 2 ** 30));
        cpuBefore = cpuSeconds(peer.child.pid);
        result.retr.push(await retr(peer, 'large.bin'));
        result.retrCpu.push((cpuSeconds(peer.child.pid) - cpuBefore) / (LARGE_BYTES / 2 ** 30));
        const logins = await loginsAndDownloads(peer);
        result.logins.push(logins.seconds);
        if (peer.name === 'parley') parleyRss.push(logins.rssWhileConnected);
      }
    }
    report(results, parley, parleyRss, baseline);
  } finally {
    for (const peer of peers) await stop(peer.child);
    rmSync(root, { recursive: true, force: true });
  }
}

/** Writes `size` bytes of random data (one random MiB repeated) to `path`. */
async function writeFile(path: string, size: number): Promise<void> {
  const block = randomBytes(MIB);
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += MIB) {
    if (!out.write(block.subarray(0, Math.min(MIB, size - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Starts the Parley server in its own process, bundled to plain JavaScript first so its memory
 * is the server's, not a TypeScript loader's.
 */
async function startParley(root: string): Promise<Peer> {
  const bundled = await bundle(join(HERE, 'parley-server.ts'), join(root, '.parley-server', 'server.mjs'));
  const child = spawn(process.execPath, [bundled, root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await firstMatch(child, child.stdout, /"port":\s*(\d+)/);
  return { name: 'parley', port, child };
}

async function startPyftpdlib(root: string): Promise<Peer> {
  const args = ['-m', 'pyftpdlib', '-p', '0', '-w', '-d', root, '-i', '127.0.0.1'];
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await firstMatch(child, child.stderr, /starting FTP server on [\d.]+:(\d+)/);
  return { name: 'pyftpdlib', port, child };
}

/** Waits for a line of a child's output matching `pattern` and returns its number. */
function firstMatch(
  child: ChildProcess,
  stream: NodeJS.ReadableStream | null,
  pattern: RegExp,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${seen}`)), 20_000);
    stream?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${seen}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

async function connect(peer: Peer): Promise<Client> {
  const client = new Client(30_000);
  await client.access({ host: '127.0.0.1', port: peer.port, user: 'anonymous', password: 'bench@' });
  return client;
}

/** A destination that drops what it gets. */
function discard(): Writable {
  return new Writable({
    highWaterMark: MIB,
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/** STOR of a local file; MB/s (10^6 bytes per second). */
async function stor(peer: Peer, local: string, remote: string): Promise<number> {
  const client = await connect(peer);
  try {
    const started = performance.now();
    await client.uploadFrom(local, `/${remote}`);
    return LARGE_BYTES / 1e6 / ((performance.now() - started) / 1000);
  } finally {
    client.close();
  }
}

/** RETR into a discarding stream; MB/s. */
async function retr(peer: Peer, remote: string): Promise<number> {
  const client = await connect(peer);
  try {
    const sink = discard();
    const started = performance.now();
    await client.downloadTo(sink, `/${remote}`);
    return LARGE_BYTES / 1e6 / ((performance.now() - started) / 1000);
  } finally {
    client.close();
  }
}

/**
 * 100 clients log in at once and each downloads the 10 MiB file; returns the wall time and the
 * server's VmRSS while all 100 are still connected.
 */
async function loginsAndDownloads(peer: Peer): Promise<{ seconds: number; rssWhileConnected: number }> {
  const clients: Client[] = [];
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const client = new Client(30_000);
        clients.push(client);
        await client.access({ host: '127.0.0.1', port: peer.port, user: 'anonymous', password: 'bench@' });
        await client.downloadTo(discard(), '/small.bin');
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rssWhileConnected: memory(peer.child.pid, 'VmRSS') };
  } finally {
    for (const client of clients) client.close();
  }
}

/** CPU time a process has used so far (user + system, all threads), in seconds, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A memory figure of a process from /proc/<pid>/status, in MiB (NaN when unreadable). */
function memory(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

function report(
  results: Map<string, Results>,
  parley: Peer | undefined,
  parleyRss: readonly number[],
  baseline: number,
): void {
  const rows = [...results].map(([name, r]) => ({
    server: name,
    'STOR MB/s': median(r.stor).toFixed(0),
    'RETR MB/s': median(r.retr).toFixed(0),
    'STOR CPU s/GiB': median(r.storCpu).toFixed(2),
    'RETR CPU s/GiB': median(r.retrCpu).toFixed(2),
    [`${CLIENTS} logins + 10 MiB s`]: median(r.logins).toFixed(2),
  }));
  console.table(rows);
  const ours = results.get('parley');
  const theirs = results.get('pyftpdlib');
  if (ours === undefined || theirs === undefined || parley === undefined) {
    console.log('Only pyftpdlib ran: no ratios.');
    return;
  }
  const storRatio = median(ours.stor) / median(theirs.stor);
  const retrRatio = median(ours.retr) / median(theirs.retr);
  const loginRatio = median(ours.logins) / median(theirs.logins);
  const peak = memory(parley.child.pid, 'VmHWM');
  const connected = Math.max(...parleyRss);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  console.log(`STOR Parley/pyftpdlib: ${storRatio.toFixed(2)}x (target >= 1.0x: ${verdict(storRatio >= 1)})`);
  console.log(`RETR Parley/pyftpdlib: ${retrRatio.toFixed(2)}x (target >= 1.0x: ${verdict(retrRatio >= 1)})`);
  console.log(
    `${CLIENTS} logins + downloads time Parley/pyftpdlib: ${loginRatio.toFixed(2)}x (target <= 1.0x: ${verdict(loginRatio <= 1)})`,
  );
  console.log(`Parley server memory: VmRSS idle after start ${baseline.toFixed(1)} MiB`);
  console.log(
    `Parley server memory: VmRSS with ${CLIENTS} clients connected ${connected.toFixed(1)} MiB, peak VmHWM over the run ${peak.toFixed(1)} MiB (target < 100 MB: ${verdict(peak < 100)})`,
  );
}

await main();
