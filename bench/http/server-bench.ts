import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { median } from '../stats.js';
import { startChild } from './measure.js';

/** The servers compared, Parley first. */
export const SERVER_KINDS = ['parley', 'node', 'fastify', 'express'] as const;

/** Options of {@link benchServers}. */
export interface ServerBenchOptions {
  /** Interleaved rounds. */
  readonly rounds: number;
  /** Seconds of load per server per round. */
  readonly seconds: number;
  /** Seconds of load per server before the rounds, to warm up the JIT (0: none). */
  readonly warmupSeconds: number;
  /** Which servers. */
  readonly kinds: readonly string[];
}

/** One round of one server: requests per second and CPU time of the server process per request. */
export interface ServerRound {
  /** Requests per second. */
  readonly rps: number;
  /** CPU time the server process spent per request, in µs. */
  readonly cpuMicros: number;
}

/** Requests per second of each server kind, per round, under autocannon `-c 100 -p 10`. */
export async function benchServers(options: ServerBenchOptions): Promise<Map<string, ServerRound[]>> {
  const results = new Map<string, ServerRound[]>(options.kinds.map((kind) => [kind, []]));
  const children = new Map<string, Awaited<ReturnType<typeof startChild>>>();
  const started = await Promise.allSettled(
    options.kinds.map((kind) => startChild('./hello-server.ts', [kind])),
  );
  started.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') children.set(options.kinds[index] as string, outcome.value);
  });
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) {
    for (const child of children.values()) await child.stop();
    throw failed.reason;
  }
  try {
    if (options.warmupSeconds > 0) {
      for (const child of children.values()) await load(child, options.warmupSeconds);
    }
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? options.kinds : [...options.kinds].reverse();
      for (const kind of order) {
        const child = children.get(kind);
        if (child === undefined) continue;
        results.get(kind)?.push(await load(child, options.seconds));
      }
    }
  } finally {
    for (const child of children.values()) await child.stop();
  }
  return results;
}

async function load(child: Awaited<ReturnType<typeof startChild>>, seconds: number): Promise<ServerRound> {
  const port = Number(child.ready.port);
  const cpuBefore = cpuTicks(child.process.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/hello`,
    connections: 100,
    pipelining: 10,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`Port ${port}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  const cpu = (cpuTicks(child.process.pid) - cpuBefore) * 10_000; // 100 ticks per second
  return { rps: result.requests.average, cpuMicros: cpu / result.requests.total };
}

/** User and system CPU time of a process so far, in clock ticks (1/100 s). */
function cpuTicks(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The median ratios Parley/peer of one server kind: requests per second, and CPU time per request. */
export interface ServerRatios {
  /** Parley's req/s over the peer's (higher is better for Parley). */
  readonly rps: number;
  /** The peer's CPU µs per request over Parley's (higher is better for Parley; 1 = as cheap). */
  readonly cpu: number;
}

/**
 * Prints the median req/s and CPU µs/request of each server, and for each peer the median of the
 * per-round ratios: Parley/peer for req/s, peer/Parley for CPU time (so that for both, above 1
 * means Parley is ahead). CPU time per request is steadier than req/s on a loaded machine.
 */
export function reportServers(results: Map<string, ServerRound[]>): Record<string, ServerRatios> {
  const parley = results.get('parley') ?? [];
  const ratios: Record<string, ServerRatios> = {};
  for (const [kind, rounds] of results) {
    const values = rounds.map((round) => round.rps);
    const cpu = median(rounds.map((round) => round.cpuMicros)).toFixed(1);
    const line = `  ${kind.padEnd(8)} median ${Math.round(median(values)).toString().padStart(7)} req/s  ${cpu.padStart(5)} µs CPU/req  rounds ${values.map(Math.round).join(', ')} req/s; ${rounds.map((round) => round.cpuMicros.toFixed(1)).join(', ')} µs`;
    console.log(line);
    if (kind === 'parley') continue;
    ratios[kind] = {
      rps: median(parley.map((own, i) => own.rps / (rounds[i]?.rps ?? Number.NaN))),
      cpu: median(parley.map((own, i) => (rounds[i]?.cpuMicros ?? Number.NaN) / own.cpuMicros)),
    };
  }
  return ratios;
}
