/**
 * FTP benchmark: the Parley FTP server (serving a directory on disk through a Parley router,
 * see disk-store.ts) against pyftpdlib serving the same directory and against the limit for
 * Node, a bare server piping `fs.createReadStream` to the data socket (bare-server.ts) at
 * several chunk sizes, in the same run, driven by the same client (basic-ftp, passive, binary).
 *
 * - STOR and RETR of a large file (256 MiB on disk), interleaved rounds, median MB/s; RETR is
 *   reported against the bare pipe with the chunk size that did best, and against pyftpdlib;
 * - 100 concurrent logins, each followed by a 10 MiB download: wall time, median (Parley and pyftpdlib);
 * - memory of the Parley server process, in MB (10^6 bytes): its peak (VmHWM) while the 100 clients
 *   log in, download and stay connected (VmHWM reset before that part through
 *   /proc/<pid>/clear_refs), the figure with a target; its peak over the whole run, 256 MiB uploads
 *   included; its VmRSS idle, just before the clients come (what the large transfers left) and
 *   while they stay connected;
 * - CPU seconds each server process spends per GiB stored and retrieved (on a machine whose cores
 *   are shared with the client, throughput follows the server's CPU cost per byte).
 *
 * Run with `pnpm bench:ftp`. Environment: BENCH_FTP_MB (large file size in MiB, default 256),
 * BENCH_FTP_ROUNDS (default 5), BENCH_FTP_CHUNKS (the bare pipe's chunk sizes in KiB, default
 * 64,128,256,512,1024). `--smoke` (or `BENCH_SMOKE=1`): an 8 MiB file, 1 MiB downloads, one round.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, memoryMiB } from '../lib/proc.js';
import { recordResult } from '../lib/results.js';
import { SMOKE, setting, sized } from '../lib/smoke.js';
import { median } from '../stats.js';
import { type Peer, startBare, startParley, startPyftpdlib, stopPeer } from './peers.js';
import { loginsAndDownloads, retr, stor } from './transfers.js';

const MIB = 1024 * 1024;
/** Megabytes (10^6 bytes) per MiB: memory is reported in MB, as its target is. */
const MB_PER_MIB = MIB / 1e6;
const LARGE_BYTES = setting('BENCH_FTP_MB', 256, 8) * MIB;
const SMALL_BYTES = sized(10, 1) * MIB;
const SMALL_LABEL = `${SMALL_BYTES / MIB} MiB`;
const ROUNDS = setting('BENCH_FTP_ROUNDS', 5, 1);
const CLIENTS = 100;
const CHUNKS = (process.env.BENCH_FTP_CHUNKS ?? '64,128,256,512,1024')
  .split(',')
  .map((kib) => Number(kib) * 1024);
/** The servers the logins part runs against (the bare pipe serves one file, not many clients). */
const LOGIN_PEERS = new Set(['parley', 'pyftpdlib']);

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
    console.log(`FTP benchmark: files under ${root}, ${ROUNDS} interleaved rounds${SMOKE ? ' [smoke]' : ''}`);
    await writeFile(join(root, 'large.bin'), LARGE_BYTES);
    await writeFile(join(root, 'small.bin'), SMALL_BYTES);
    const parley = await startParley(root);
    peers.push(parley);
    const baseline = memoryMB(parley, 'VmRSS');
    peers.push(await startPyftpdlib(root));
    for (const chunk of CHUNKS) peers.push(await startBare(root, chunk));
    const results = new Map<string, Results>(
      peers.map((peer) => [peer.name, { stor: [], retr: [], logins: [], storCpu: [], retrCpu: [] }]),
    );
    const parleyRss: number[] = [];
    const parleyBefore: number[] = [];
    const parleyLoginPeaks: number[] = [];
    let runPeak = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? peers : [...peers].reverse();
      for (const peer of order) {
        const result = results.get(peer.name) as Results;
        await transfers(peer, root, result);
        if (!LOGIN_PEERS.has(peer.name)) continue;
        if (peer === parley) {
          runPeak = Math.max(runPeak, resetPeak(parley));
          parleyBefore.push(memoryMB(parley, 'VmRSS'));
        }
        const logins = await loginsAndDownloads(peer, CLIENTS, 'small.bin');
        result.logins.push(logins.seconds);
        if (peer !== parley) continue;
        parleyRss.push(logins.rssWhileConnected);
        parleyLoginPeaks.push(memoryMB(parley, 'VmHWM'));
      }
    }
    runPeak = Math.max(runPeak, memoryMB(parley, 'VmHWM'));
    report(
      results,
      runPeak,
      { before: parleyBefore, connected: parleyRss, peaks: parleyLoginPeaks },
      baseline,
    );
  } finally {
    for (const peer of peers) await stopPeer(peer);
    rmSync(root, { recursive: true, force: true });
  }
}

/** One STOR and one RETR of the large file, with the server's CPU time per GiB of each. */
async function transfers(peer: Peer, root: string, result: Results): Promise<void> {
  const gib = LARGE_BYTES / 2 ** 30;
  let cpuBefore = cpuSeconds(peer.child.pid);
  result.stor.push(await stor(peer, join(root, 'large.bin'), `upload-${peer.name}.bin`, LARGE_BYTES));
  result.storCpu.push((cpuSeconds(peer.child.pid) - cpuBefore) / gib);
  cpuBefore = cpuSeconds(peer.child.pid);
  result.retr.push(await retr(peer, 'large.bin', LARGE_BYTES));
  result.retrCpu.push((cpuSeconds(peer.child.pid) - cpuBefore) / gib);
}

/** A memory figure of a server's process (VmRSS now, VmHWM its peak), in MB (10^6 bytes). */
function memoryMB(peer: Peer, field: 'VmRSS' | 'VmHWM'): number {
  return memoryMiB(peer.child.pid, field) * MB_PER_MIB;
}

/**
 * Resets a process's peak memory (VmHWM) to its current VmRSS (Linux: `5` to clear_refs) and
 * returns the peak it had until then, in MB.
 */
function resetPeak(peer: Peer): number {
  const peak = memoryMB(peer, 'VmHWM');
  writeFileSync(`/proc/${peer.child.pid}/clear_refs`, '5');
  return peak;
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

function report(
  results: Map<string, Results>,
  peak: number,
  parleyRss: { before: readonly number[]; connected: readonly number[]; peaks: readonly number[] },
  baseline: number,
): void {
  const rows = [...results].map(([name, r]) => ({
    server: name,
    'STOR MB/s': median(r.stor).toFixed(0),
    'RETR MB/s': median(r.retr).toFixed(0),
    'STOR CPU s/GiB': median(r.storCpu).toFixed(2),
    'RETR CPU s/GiB': median(r.retrCpu).toFixed(2),
    [`${CLIENTS} logins + ${SMALL_LABEL} s`]: r.logins.length > 0 ? median(r.logins).toFixed(2) : '-',
  }));
  console.table(rows);
  const ours = results.get('parley') as Results;
  const theirs = results.get('pyftpdlib') as Results;
  const bare = bestBare(results);
  const storRatio = median(ours.stor) / median(theirs.stor);
  const retrRatio = median(ours.retr) / median(theirs.retr);
  const loginRatio = median(ours.logins) / median(theirs.logins);
  const bareRetr = median(ours.retr) / median(bare.results.retr);
  const bareStor = median(ours.stor) / median(bare.results.stor);
  const connected = Math.max(...parleyRss.connected);
  const before = Math.max(...parleyRss.before);
  const loginPeak = Math.max(...parleyRss.peaks);
  // VmHWM is sampled by the kernel at its own times: the whole-run figure is at least each part's.
  const runPeak = Math.max(peak, loginPeak);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  console.log(`STOR Parley/pyftpdlib: ${storRatio.toFixed(2)}x (target >= 1.0x: ${verdict(storRatio >= 1)})`);
  console.log(`RETR Parley/pyftpdlib: ${retrRatio.toFixed(2)}x (target >= 1.0x: ${verdict(retrRatio >= 1)})`);
  console.log(
    `Bare createReadStream pipe, RETR MB/s by chunk size: ${[...results]
      .filter(([name]) => name.startsWith('bare-'))
      .map(([name, r]) => `${chunkLabel(name)} ${median(r.retr).toFixed(0)}`)
      .join(', ')}; best ${chunkLabel(bare.name)}`,
  );
  console.log(
    `RETR Parley/bare pipe (${chunkLabel(bare.name)}): ${bareRetr.toFixed(2)}x (target >= 0.9x: ${verdict(bareRetr >= 0.9)})`,
  );
  console.log(`STOR Parley/bare pipe (${chunkLabel(bare.name)}): ${bareStor.toFixed(2)}x`);
  console.log(
    `${CLIENTS} logins + downloads time Parley/pyftpdlib: ${loginRatio.toFixed(2)}x (target <= 1.0x: ${verdict(loginRatio <= 1)})`,
  );
  console.log(
    `Parley server memory (MB = 10^6 bytes): VmRSS idle after start ${baseline.toFixed(1)} MB, ${before.toFixed(1)} MB after the ${LARGE_BYTES / MIB} MiB transfers, just before the clients come`,
  );
  console.log(
    `Parley server memory: VmRSS with ${CLIENTS} clients connected ${connected.toFixed(1)} MB; peak VmHWM while they log in, download and stay connected ${loginPeak.toFixed(1)} MB (target < 100 MB: ${verdict(loginPeak < 100)}); peak VmHWM over the run, uploads included, ${runPeak.toFixed(1)} MB`,
  );
  const figures = (peer: Results, kind: 'stor' | 'retr'): string =>
    `${median(ours[kind]).toFixed(0)} vs ${median(peer[kind]).toFixed(0)} MB/s; server CPU ${median(ours[`${kind}Cpu`]).toFixed(2)} vs ${median(peer[`${kind}Cpu`]).toFixed(2)} s/GiB`;
  const transfer = { higherIsBetter: true, unit: 'x' } as const;
  const size = `${LARGE_BYTES / MIB} MiB`;
  recordResult({
    ...transfer,
    measure: `RETR MB/s, ${size}`,
    ratio: bareRetr,
    target: 0.9,
    peer: `bare createReadStream pipe, ${chunkLabel(bare.name)} chunks`,
    detail: figures(bare.results, 'retr'),
  });
  recordResult({
    ...transfer,
    measure: `RETR MB/s, ${size}`,
    ratio: retrRatio,
    target: 1,
    peer: 'pyftpdlib',
    detail: figures(theirs, 'retr'),
  });
  recordResult({
    ...transfer,
    measure: `STOR MB/s, ${size}`,
    ratio: storRatio,
    target: 1,
    peer: 'pyftpdlib',
    detail: figures(theirs, 'stor'),
  });
  recordResult({
    ...transfer,
    measure: `STOR MB/s, ${size}`,
    ratio: bareStor,
    target: null,
    peer: `bare createWriteStream pipe, ${chunkLabel(bare.name)} chunks`,
    detail: figures(bare.results, 'stor'),
  });
  recordResult({
    measure: `time of ${CLIENTS} logins + ${SMALL_LABEL} downloads`,
    ratio: loginRatio,
    target: 1,
    higherIsBetter: false,
    unit: 'x',
    peer: 'pyftpdlib',
    detail: `${median(ours.logins).toFixed(2)} vs ${median(theirs.logins).toFixed(2)} s`,
  });
  const memory = { higherIsBetter: false, unit: 'MB', peer: '' } as const;
  recordResult({
    ...memory,
    measure: `FTP server peak RSS, ${CLIENTS} clients connected`,
    ratio: loginPeak,
    target: 100,
    detail: `VmHWM while ${CLIENTS} clients log in, download ${SMALL_LABEL} each and stay connected (MB = 10^6 bytes); VmRSS ${baseline.toFixed(1)} MB idle, ${before.toFixed(1)} MB just before they come (after the ${LARGE_BYTES / MIB} MiB transfers in the same process), ${connected.toFixed(1)} MB with them connected`,
  });
  recordResult({
    ...memory,
    measure: 'FTP server peak RSS over the run',
    ratio: runPeak,
    target: null,
    detail: `VmHWM over the whole run, ${LARGE_BYTES / MIB} MiB uploads and downloads included (MB = 10^6 bytes)`,
  });
}

/** `bare-256k` as `256 KiB`. */
function chunkLabel(name: string): string {
  return `${name.slice('bare-'.length, -1)} KiB`;
}

/** The bare pipe whose chunk size gave the fastest RETR (median). */
function bestBare(results: Map<string, Results>): { name: string; results: Results } {
  const bares = [...results].filter(([name]) => name.startsWith('bare-'));
  bares.sort(([, a], [, b]) => median(b.retr) - median(a.retr));
  const [name, best] = bares[0] as [string, Results];
  return { name, results: best };
}

await main();
