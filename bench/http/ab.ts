/**
 * Interleaved rounds of the HTTP server benchmark's load (autocannon `-c 100 -p 10` on the hello
 * handler, as server-bench.ts) against several servers, to compare builds: `ab.ts <rounds>
 * <server>...`, where a server is a kind of hello-server.ts (`parley`, `node`, `fastify`,
 * `express`; this tree's, bundled) or the path of an already bundled hello-server.ts
 * (`<path>.mjs`, run as Parley; keep one with `BENCH_HTTP_KEEP=<path>`, which copies this tree's
 * bundle there). Prints each round's requests per second and server CPU µs per request, then the
 * medians and each server's median per-round ratios to the first server's. Environment:
 * HTTP_AB_SECONDS (of load per server per round, default 4).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { bundle } from '../lib/bundle.js';
import { cpuSeconds } from '../lib/proc.js';
import { type AbMeasure, type AbServer, abRounds } from '../profile/ab-rounds.js';
import { serverLines } from '../smtp/server-lines.js';
import { median } from '../stats.js';

const SECONDS = Number(process.env.HTTP_AB_SECONDS ?? 4);
const KINDS = new Set(['parley', 'node', 'fastify', 'express']);
const [roundsArg = '5', ...names] = process.argv.slice(2);
if (names.length === 0) throw new Error('usage: ab.ts <rounds> <parley|node|fastify|express|bundle.mjs>...');

const own = await bundle(
  fileURLToPath(new URL('./hello-server.ts', import.meta.url)),
  fileURLToPath(new URL(`.build/ab-${process.pid}.mjs`, import.meta.url)),
  { external: ['undici', 'fastify', 'express'] },
);
if (process.env.BENCH_HTTP_KEEP !== undefined) copyFileSync(own, process.env.BENCH_HTTP_KEEP);
const servers: AbServer[] = [];
try {
  for (const name of names) servers.push(await start(name));
  // One warm-up second each, not counted.
  for (const server of servers) await load(server, 1);
  await abRounds(servers, Number(roundsArg), (server) => load(server, SECONDS), 'req', 2);
  const first = servers[0] as AbServer;
  for (const server of servers) {
    const cpuRatios = server.cpu.map((cpu, round) => cpu / (first.cpu[round] as number));
    const rateRatios = server.rates.map((rate, round) => rate / (first.rates[round] as number));
    console.log(
      `${server.name.padEnd(40)} median ${median(server.rates).toFixed(0)} req/s, CPU ${median(server.cpu).toFixed(2)} µs/req, per-round ratios to ${first.name}: req/s ${median(rateRatios).toFixed(3)}, CPU ${median(cpuRatios).toFixed(3)}`,
    );
  }
} finally {
  for (const server of servers) server.child.kill('SIGTERM');
  rmSync(own, { force: true });
}

/** Starts one server in its own process. */
async function start(name: string): Promise<AbServer> {
  const [script, kind] = KINDS.has(name) ? [own, name] : [resolve(name), 'parley'];
  const child = spawn(process.execPath, [script, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  const { port } = await serverLines(child, name);
  return { name, port, child, rates: [], cpu: [] };
}

/** Loads one server for `seconds`: requests per second and server CPU µs per request. */
async function load(server: AbServer, seconds: number): Promise<AbMeasure> {
  const cpuBefore = cpuSeconds(server.child.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/hello`,
    connections: 100,
    pipelining: 10,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${server.name}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  const cpu = ((cpuSeconds(server.child.pid) - cpuBefore) * 1e6) / result.requests.total;
  return { rate: result.requests.average, cpu };
}
