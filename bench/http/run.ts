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
 * compared in part 1 (default `parley,node,fastify,express`). `--smoke` (or `BENCH_SMOKE=1`): one
 * round of half a second without warm-up, and a 16 MiB stream.
 */
import { recordResult } from '../lib/results.js';
import { SMOKE, setting, sized } from '../lib/smoke.js';
import { benchClients, reportClients } from './client-bench.js';
import { startChild } from './measure.js';
import { benchServers, reportServers, SERVER_KINDS } from './server-bench.js';

const rounds = setting('BENCH_ROUNDS', 5, 1);
const seconds = setting('BENCH_SECONDS', 3, 0.5);
const warmupSeconds = sized(1, 0);
const STREAM_BYTES = sized(1024 ** 3, 16 * 1024 ** 2);
const STREAM_LABEL = sized('1 GiB', '16 MiB');
const RSS_LIMIT_MB = 128;

const verdict = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');

console.log(
  `Parley HTTP benchmarks (${rounds} interleaved rounds of ${seconds}s; Node ${process.version})${SMOKE ? ' [smoke]' : ''}\n`,
);

const parts = new Set((process.env.BENCH_PARTS ?? 'server,client,stream').split(','));
const summary: string[] = [];

if (parts.has('server')) {
  console.log('1. Server: hello handler, autocannon -c 100 -p 10');
  const kinds = process.env.BENCH_SERVERS?.split(',') ?? SERVER_KINDS;
  const servers = reportServers(await benchServers({ rounds, seconds, warmupSeconds, kinds }));
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
    recordResult({
      measure: 'server req/s, hello handler',
      ratio: ratio.rps,
      target: target ?? null,
      higherIsBetter: true,
      unit: 'x',
      peer: kind === 'node' ? 'node:http' : kind,
      detail: `autocannon -c 100 -p 10; ${kind}/Parley server CPU per request ${ratio.cpu.toFixed(2)}x`,
    });
  }
  console.log('');
}

if (parts.has('client')) {
  console.log('2. Client: GET of a hello body, 32 in flight over 32 pooled connections');
  const clientRatio = reportClients(await benchClients({ rounds, seconds, warmupSeconds, concurrency: 32 }));
  console.log(`  target >= 0.90: ${verdict(clientRatio.rps >= 0.9)}\n`);
  summary.push(`client Parley/undici req/s ${clientRatio.rps.toFixed(3)}`);
  recordResult({
    measure: 'client req/s, 32 in flight',
    ratio: clientRatio.rps,
    target: 0.9,
    higherIsBetter: true,
    unit: 'x',
    peer: 'undici.request',
    detail: `undici/Parley client CPU per request ${clientRatio.cpu.toFixed(2)}x`,
  });
}

if (parts.has('stream')) {
  console.log(
    `3. Streaming ${STREAM_LABEL} up, then ${STREAM_LABEL} down, through a Parley client and server`,
  );
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
    `  transferred ${complete ? `all ${sized('2 GiB', '32 MiB')}` : 'INCOMPLETE'} in ${Number(clientEnd.seconds).toFixed(1)}s`,
  );
  console.log(`  peak RSS: client ${peaks[0]?.toFixed(1)} MB, server ${peaks[1]?.toFixed(1)} MB`);
  const rawPeak = Number(raw.ready.peakRssMb);
  console.log(
    `  for reference, raw undici.request making the same transfers (no Parley): ${rawPeak.toFixed(1)} MB; Parley's client adds ${(Number(peaks[0]) - rawPeak).toFixed(1)} MB`,
  );
  const rssOk = complete && Math.max(...peaks) < RSS_LIMIT_MB;
  console.log(`  target < ${RSS_LIMIT_MB} MB in each process: ${verdict(rssOk)}\n`);
  summary.push(`peak RSS ${Math.max(...peaks).toFixed(1)} MB (the larger of client and server)`);
  recordResult({
    measure: `peak RSS streaming ${STREAM_LABEL} up and down`,
    ratio: complete ? Math.max(...peaks) : Number.NaN,
    target: RSS_LIMIT_MB,
    higherIsBetter: false,
    unit: 'MB',
    peer: '',
    detail: `client ${peaks[0]?.toFixed(1)} MB, server ${peaks[1]?.toFixed(1)} MB; raw undici client ${rawPeak.toFixed(1)} MB`,
  });
}

console.log('Summary (medians)');
for (const line of summary) console.log(`  ${line}`);
