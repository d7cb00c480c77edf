/**
 * The parley command against its peers: `parley --version` vs `node -e 0` (start-up), and
 * `parley -o` / `parley -T` of a large body vs curl over HTTP (a Parley server) and FTP
 * (pyftpdlib): interleaved rounds (which of the two goes first alternates from round to round),
 * medians, throughput ratios, CPU time and peak RSS. A ratio is the median of each round's own
 * ratio: the two runs of a round are back to back, under the same load, so a load that changes
 * between rounds moves both sides of a round rather than the ratio. Three
 * reference downloads without a target (`reference-get.cjs`: `undici.request`, bare `node:net`,
 * and `node:net` reading into one reused buffer) show how close to curl Node.js itself gets with
 * the same server in the same run.
 *
 *   pnpm bench:cli [--size 1G] [--rounds 5] [--smoke]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordResult } from '../lib/results.js';
import { median } from '../stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}packages/cli/dist/bin.cjs`;
const REFERENCE = `${ROOT}bench/cli/reference-get.cjs`;
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const option = (name: string) => args[args.indexOf(name) + 1];
const size = smoke ? 4 * 1024 * 1024 : parseSize(args.includes('--size') ? (option('--size') ?? '1G') : '1G');
/** The throughput of curl's that a transfer should reach, and the peak RSS it should stay under. */
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;
const rounds = smoke ? 1 : Number(args.includes('--rounds') ? option('--rounds') : 5);

function parseSize(text: string): number {
  const match = /^(\d+)([KMG]?)$/i.exec(text);
  if (match === null) throw new Error(`--size takes 512M, 1G..., not ${text}`);
  return Number(match[1]) * 1024 ** ' KMG'.indexOf((match[2] || ' ').toUpperCase());
}

/** Runs a command under /usr/bin/time -v: wall seconds, CPU seconds (user + system) and peak RSS in MB. */
function measure(command: string[]): { seconds: number; cpu: number; rssMb: number } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', ...command], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr.slice(-500)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const time = (name: string) =>
    Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1]);
  return { seconds, cpu: time('User') + time('System'), rssMb: Number(rss?.[1] ?? 0) / 1024 };
}

/** Reads a file once, in 1 MiB reads, so that its pages are in the page cache. */
function warmPageCache(path: string): void {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  const fd = openSync(path, 'r');
  try {
    while (readSync(fd, buffer, 0, buffer.byteLength, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function startProcess(
  command: string,
  argv: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let text = '';
    const seen = (chunk: Buffer) => {
      text += chunk.toString();
      const match = ready.exec(text);
      if (match) resolve({ child, line: match[0] });
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', () => reject(new Error(`${command} exited: ${text}`)));
  });
}

type Row = {
  name: string;
  parley: number[];
  peer: number[];
  parleyCpu: number[];
  peerCpu: number[];
  parleyRss: number[];
  peerRss: number[];
};

/** Times `parley` and `peer` back to back, `parley` first unless `peerFirst`. */
function compare(row: Row, parley: string[], peer: string[], peerFirst: boolean): void {
  const b0 = peerFirst ? measure(peer) : undefined;
  const a = measure(parley);
  const b = b0 ?? measure(peer);
  row.parley.push(a.seconds);
  row.peer.push(b.seconds);
  row.parleyCpu.push(a.cpu);
  row.peerCpu.push(b.cpu);
  row.parleyRss.push(a.rssMb);
  row.peerRss.push(b.rssMb);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-cli-'));
  const file = join(dir, 'upload.bin');
  writeFileSync(file, '');
  truncateSync(file, size);
  const ftpRoot = join(dir, 'ftp');
  spawnSync('mkdir', ['-p', ftpRoot]);
  writeFileSync(join(ftpRoot, 'blob'), '');
  truncateSync(join(ftpRoot, 'blob'), size);
  // A new file's first read fills the page cache (3 s of system time for 1 GiB of a sparse file):
  // done here, so that no timed transfer pays it, rather than the first one of the first round.
  for (const path of [file, join(ftpRoot, 'blob')]) warmPageCache(path);
  const httpServer = await startProcess(
    process.execPath,
    ['--import', 'tsx', `${ROOT}bench/cli/sink-server.ts`, String(size)],
    /http:\/\/\S+/,
  );
  const httpUrl = httpServer.line.replace(/\/$/, '');
  const ftpPort = 30000 + (process.pid % 20000);
  const ftpServer = await startProcess(
    '/usr/bin/python3',
    ['-m', 'pyftpdlib', '-p', String(ftpPort), '-d', ftpRoot, '-w', '-i', '127.0.0.1'],
    /starting FTP server|concurrency model/i,
  );
  const ftpUrl = `ftp://127.0.0.1:${ftpPort}`;
  const rows: Row[] = [
    'start-up (--version vs node -e 0)',
    'HTTP download -o',
    'HTTP upload -T',
    'FTP download -o',
    'FTP upload -T',
    'HTTP download, undici.request',
    'HTTP download, bare node:net',
    'HTTP download, node:net onread',
  ].map((name) => ({ name, parley: [], peer: [], parleyCpu: [], peerCpu: [], parleyRss: [], peerRss: [] }));
  const node = process.execPath;
  try {
    for (let round = 0; round < rounds; round++) {
      const [start, hDown, hUp, fDown, fUp, undici, bare, reused] = rows as [
        Row,
        Row,
        Row,
        Row,
        Row,
        Row,
        Row,
        Row,
      ];
      const peerFirst = round % 2 === 1;
      for (let i = 0; i < (smoke ? 1 : 10); i++)
        compare(start, [node, BIN, '--version'], [node, '-e', '0'], (round + i) % 2 === 1);
      compare(
        hDown,
        [node, BIN, '-s', '-o', '/dev/null', `${httpUrl}/blob`],
        ['curl', '-s', '-o', '/dev/null', `${httpUrl}/blob`],
        peerFirst,
      );
      compare(
        hUp,
        [node, BIN, '-s', '-T', file, `${httpUrl}/sink`],
        ['curl', '-s', '-T', file, `${httpUrl}/sink`],
        peerFirst,
      );
      compare(
        fDown,
        [node, BIN, '-s', '-o', '/dev/null', `${ftpUrl}/blob`],
        ['curl', '-s', '-o', '/dev/null', `${ftpUrl}/blob`],
        peerFirst,
      );
      compare(
        fUp,
        [node, BIN, '-s', '-T', file, `${ftpUrl}/up.bin`],
        ['curl', '-s', '-T', file, `${ftpUrl}/up.bin`],
        peerFirst,
      );
      // The references, each against curl again (in this round, so that the load is the same).
      for (const [row, mode] of [
        [undici, 'undici'],
        [bare, 'net'],
        [reused, 'reused'],
      ] as const) {
        compare(
          row,
          [node, REFERENCE, mode, `${httpUrl}/blob`, '/dev/null'],
          ['curl', '-s', '-o', '/dev/null', `${httpUrl}/blob`],
          peerFirst,
        );
      }
    }
  } finally {
    httpServer.child.kill('SIGTERM');
    ftpServer.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `parley vs its peers: ${(size / 1024 ** 2).toFixed(0)} MiB bodies, ${rounds} round(s), medians (ratio: median of the rounds' own ratios)`,
  );
  console.log(
    'what                               parley      peer     ratio   parley RSS  peer RSS  targets (0.8x, 64 MB)   CPU s (parley, peer)   ratio per round',
  );
  for (const row of rows) {
    const a = median(row.parley);
    const b = median(row.peer);
    const startup = row.name.startsWith('start-up');
    const reference = row.name.includes(', ');
    // Start-up: time ratio (lower is better). Transfers: throughput ratio parley/curl (higher is better).
    // Each pair's own ratio, then their median (see the top of this file).
    const ratios = row.parley.map((seconds, i) => {
      const peer = row.peer[i] as number;
      return startup ? seconds / peer : peer / seconds;
    });
    const ratio = median(ratios);
    const show = (s: number) =>
      startup ? `${(s * 1000).toFixed(0)} ms` : `${(size / 1024 ** 2 / s).toFixed(0)} MiB/s`;
    const rss = median(row.parleyRss);
    const cpu = `${median(row.parleyCpu).toFixed(2)}, ${median(row.peerCpu).toFixed(2)}`;
    const met =
      startup || reference
        ? ''.padEnd(15)
        : `  ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}, ${rss < TARGET_RSS_MB ? 'met' : 'MISSED'}`.padEnd(
            15,
          );
    console.log(
      `${row.name.padEnd(34)} ${show(a).padStart(10)} ${show(b).padStart(10)} ${ratio.toFixed(2).padStart(7)}x ${rss.toFixed(0).padStart(8)} MB ${median(row.peerRss).toFixed(0).padStart(6)} MB${met}   ${cpu}` +
        (startup ? '' : `   rounds ${ratios.map((one) => one.toFixed(2)).join(' ')}`),
    );
    const who = reference ? row.name.slice(row.name.indexOf(', ') + 2) : 'parley';
    const detail = `${who} ${show(a)}, peer ${show(b)}; CPU ${cpu.replace(', ', ' s vs ')} s; ${who} peak RSS ${rss.toFixed(0)} MB`;
    if (reference) recordReference(row.name, ratio, detail);
    else record(row.name, startup, ratio, rss, detail);
  }
}

/** Records a reference download (no target): its throughput against curl's in the same rounds. */
function recordReference(name: string, ratio: number, detail: string): void {
  recordResult({
    measure: `cli ${name}`,
    ratio,
    target: null,
    higherIsBetter: true,
    unit: 'x',
    peer: 'curl',
    detail,
  });
}

/** Records a row for `pnpm bench`: start-up against its 2x bound, a transfer against 0.8x and 64 MB. */
function record(name: string, startup: boolean, ratio: number, rssMb: number, detail: string): void {
  if (startup) {
    recordResult({
      measure: `cli ${name}`,
      ratio,
      target: 2,
      higherIsBetter: false,
      unit: 'x',
      peer: 'node -e 0',
      detail,
    });
    return;
  }
  recordResult({
    measure: `cli ${name}`,
    ratio,
    target: TARGET_RATIO,
    higherIsBetter: true,
    unit: 'x',
    peer: 'curl',
    detail,
  });
  recordResult({
    measure: `cli ${name}, peak RSS`,
    ratio: rssMb,
    target: TARGET_RSS_MB,
    higherIsBetter: false,
    unit: 'MB',
    peer: '',
    detail,
  });
}

await main();
