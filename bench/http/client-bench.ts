import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { Agent, request } from 'undici';
import { median, startChild } from './measure.js';

/** Options of {@link benchClients}. */
export interface ClientBenchOptions {
  /** Interleaved rounds. */
  readonly rounds: number;
  /** Seconds per client per round. */
  readonly seconds: number;
  /** Requests in flight at once (and pooled connections, on both sides). */
  readonly concurrency: number;
}

/**
 * Requests per second of Parley's HTTP client (`createClient(http(url)).get`) and of raw
 * `undici.request` over an Agent of the same pool size, against the same `node:http` hello server
 * running in its own process. Both read each body whole.
 */
export async function benchClients(
  options: ClientBenchOptions,
): Promise<{ parley: number[]; undici: number[] }> {
  const server = await startChild('./hello-server.ts', ['node']);
  const origin = `http://127.0.0.1:${server.ready.port}`;
  const client = createClient(http(origin, { connections: options.concurrency }), { retries: 0 });
  const agent = new Agent({ connections: options.concurrency });
  const parley = async (): Promise<void> => {
    const response = await client.get('/hello');
    await response.body.text();
  };
  const raw = async (): Promise<void> => {
    const response = await request(`${origin}/hello`, { dispatcher: agent });
    await response.body.text();
  };
  const results = { parley: [] as number[], undici: [] as number[] };
  try {
    await drive(parley, options.concurrency, 1);
    await drive(raw, options.concurrency, 1);
    for (let round = 0; round < options.rounds; round++) {
      if (round % 2 === 0) {
        results.parley.push(await drive(parley, options.concurrency, options.seconds));
        results.undici.push(await drive(raw, options.concurrency, options.seconds));
      } else {
        results.undici.push(await drive(raw, options.concurrency, options.seconds));
        results.parley.push(await drive(parley, options.concurrency, options.seconds));
      }
    }
  } finally {
    await client.close();
    await agent.close();
    await server.stop();
  }
  return results;
}

/** Runs `call` in `concurrency` loops for `seconds`; returns completed calls per second. */
async function drive(call: () => Promise<void>, concurrency: number, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      await call();
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done / ((performance.now() - started) / 1000);
}

/** Prints the medians and the median ratio Parley/undici. */
export function reportClients(results: { parley: number[]; undici: number[] }): number {
  const ratio = median(results.parley.map((value, i) => value / (results.undici[i] ?? Number.NaN)));
  for (const [name, values] of Object.entries(results)) {
    console.log(
      `  ${name.padEnd(8)} median ${Math.round(median(values)).toString().padStart(7)} req/s  rounds ${values.map(Math.round).join(', ')}`,
    );
  }
  console.log(`  Parley/undici ${ratio.toFixed(3)}`);
  return ratio;
}
