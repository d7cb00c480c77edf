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

console.log('1. Server: hello handler, autocannon -c 100 -p 10');
const servers = reportServers(await benchServers({ rounds, seconds, kinds: SERVER_KINDS }));
console.log(
  `  Parley/node:http ${servers.node?.toFixed(3)} (target >= 0.95: ${verdict((servers.node ?? 0) >= 0.95)})`,
);
console.log(
  `  Parley/fastify   ${servers.fastify?.toFixed(3)} (target >= 1.00: ${verdict((servers.fastify ?? 0) >= 1)})`,
);
console.log(`  Parley/express   ${servers.express?.toFixed(3)}\n`);

console.log('2. Client: GET of a hello body, 32 in flight over 32 pooled connections');
const clientRatio = reportClients(await benchClients({ rounds, seconds, concurrency: 32 }));
console.log(`  target >= 0.90: ${verdict(clientRatio >= 0.9)}\n`);

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
console.log(
  `  for reference, raw undici.request downloading the same 1 GiB alone: ${Number(raw.ready.peakRssMb).toFixed(1)} MB`,
);
const rssOk = complete && Math.max(...peaks) < RSS_LIMIT_MB;
console.log(`  target < ${RSS_LIMIT_MB} MB in each process: ${verdict(rssOk)}\n`);

console.log('Summary (medians)');
console.log(
  `  server Parley/node:http ${servers.node?.toFixed(3)}, Parley/fastify ${servers.fastify?.toFixed(3)}, Parley/express ${servers.express?.toFixed(3)}`,
);
console.log(`  client Parley/undici ${clientRatio.toFixed(3)}`);
console.log(`  peak RSS ${Math.max(...peaks).toFixed(1)} MB (the larger of client and server)`);
