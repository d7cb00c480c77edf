/**
 * Parley's HTTP benchmarks, printing medians and ratios against named peers:
 *
 * 1. server requests/s on a hello handler: Parley vs bare `node:http`, fastify and express, each
 *    server in its own process, loaded by autocannon (`-c 100 -p 10`) in interleaved rounds;
 * 2. client requests/s: Parley's client vs raw `undici.request`, against one `node:http` server;
 * 3. peak RSS of the client and server processes while 1 GiB streams up and then down through Parley.
 *
 * Run with `pnpm bench:http`. `BENCH_ROUNDS` and `BENCH_SECONDS` change the rounds (default 5)
 * and the seconds per measurement (default 3); the whole run takes about two minutes.
 * `BENCH_PARTS` picks parts (default `server,client,stream`) and `BENCH_SERVERS` the servers
 * compared in part 1 (default `parley,node,fastify,express`).
 */
import { benchClients, reportClients } from './client-bench.js';
import { startChild } from './measure.js';
import { benchServers, reportServers, SERVER_KINDS } from './server-bench.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const STREAM_BYTES = 1024 ** 3;
const RSS_LIMIT_MB = 128;

const verdict = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');

console.log(
  `Parley HTTP benchmarks (${rounds} interleaved rounds of ${seconds}s; Node ${process.version})\n`,
);

const parts = new Set((process.env.BENCH_PARTS ?? 'server,client,stream').split(','));
const summary: string[] = [];

if (parts.has('server')) {
  console.log('1. Server: hello handler, autocannon -c 100 -p 10');
  const kinds = process.env.BENCH_SERVERS?.split(',') ?? SERVER_KINDS;
  const servers = reportServers(await benchServers({ rounds, seconds, kinds }));
  console.log('  ratios (medians of per-round ratios; above 1 = Parley ahead):');
  for (const [kind, target] of [
    ['node', 0.95],
    ['fastify', 1],
    ['express', undefined],
  ] as const) {
    const ratio = servers[kind];
    if (ratio === undefined) continue;
    const goal =
      target === undefined ? '' : ` (target >= ${target.toFixed(2)}: ${verdict(ratio.rps >= target)})`;
    const line = `Parley/${kind} req/s ${ratio.rps.toFixed(3)}, ${kind}/Parley CPU per request ${ratio.cpu.toFixed(3)}`;
    console.log(`  ${line}${goal}`);
    summary.push(`server ${line}`);
  }
  console.log('');
}

if (parts.has('client')) {
  console.log('2. Client: GET of a hello body, 32 in flight over 32 pooled connections');
  const clientRatio = reportClients(await benchClients({ rounds, seconds, concurrency: 32 }));
  console.log(`  target >= 0.90: ${verdict(clientRatio >= 0.9)}\n`);
  summary.push(`client Parley/undici req/s ${clientRatio.toFixed(3)}`);
}

if (parts.has('stream')) {
  console.log('3. Streaming 1 GiB up, then 1 GiB down, through a Parley client and server');
  const server = await startChild('./stream-server.ts', []);
  const client = await startChild('./stream-client.ts', [String(server.ready.port), String(STREAM_BYTES)]);
  await client.stop();
  const raw = await startChild('./stream-raw-client.ts', [String(server.ready.port), String(STREAM_BYTES)]);
  await raw.stop();
  const serverEnd = await server.stop();
  const clientEnd = client.ready;
  const complete = clientEnd.uploaded === STREAM_BYTES && clientEnd.downloaded === STREAM_BYTES;
  const peaks = [Number(clientEnd.peakRssMb), Number(serverEnd?.peakRssMb)];
  console.log(
    `  transferred ${complete ? 'all 2 GiB' : 'INCOMPLETE'} in ${Number(clientEnd.seconds).toFixed(1)}s`,
  );
  console.log(`  peak RSS: client ${peaks[0]?.toFixed(1)} MB, server ${peaks[1]?.toFixed(1)} MB`);
  const rawPeak = Number(raw.ready.peakRssMb);
  console.log(
    `  for reference, raw undici.request making the same transfers (no Parley): ${rawPeak.toFixed(1)} MB; Parley's client adds ${(Number(peaks[0]) - rawPeak).toFixed(1)} MB`,
  );
  const rssOk = complete && Math.max(...peaks) < RSS_LIMIT_MB;
  console.log(`  target < ${RSS_LIMIT_MB} MB in each process: ${verdict(rssOk)}\n`);
  summary.push(`peak RSS ${Math.max(...peaks).toFixed(1)} MB (the larger of client and server)`);
}

console.log('Summary (medians)');
for (const line of summary) console.log(`  ${line}`);
