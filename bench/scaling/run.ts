/**
 * Scaling benchmark: the notes service (examples/notes) as 1 and as 2 processes sharing one
 * data directory, behind nginx (HTTP upstream with keep-alive, SMTP through the `stream`
 * module) and one mosquitto (MQTT 5 shared subscription), loaded at once through HTTP, SMTP
 * and MQTT by Parley clients in this process. Rounds alternate 1 and 2 processes; the medians
 * of acknowledged writes per second and of the service's CPU time per write are reported, with
 * the ratio 2 processes / 1. Then one of two processes is SIGKILLed under load, and every
 * acknowledged write must be in the data directory afterwards, every other request must have
 * failed in a way a client may retry. See docs/scaling.md.
 *
 * On a 2-core machine the load generator, nginx, mosquitto and the service share the cores, so
 * the ratio stays well under 2. Environment: BENCH_ROUNDS (default 3), BENCH_SECONDS (per
 * measurement, default 8), BENCH_WARMUP_SECONDS (load before each, default 2). `--smoke` (or
 * `BENCH_SMOKE=1`): one round of 1.5 s after 0.5 s.
 */
import { cpuSeconds } from '../lib/proc.js';
import { recordResult } from '../lib/results.js';
import { SMOKE, setting } from '../lib/smoke.js';
import { median } from '../stats.js';
import { type Cluster, startCluster } from './cluster.js';
import { missingNotes, PROTOCOLS, runLoad } from './load.js';
import { requireNginx } from './nginx.js';

const ROUNDS = setting('BENCH_ROUNDS', 3, 1);
const SECONDS = setting('BENCH_SECONDS', 8, 1.5);
/** Load before each measurement, not counted: a process just started has a cold JIT. */
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 2, 0.5);
const CONCURRENCY = { http: 16, smtp: 4, mqtt: 16 };

interface Measure {
  /** Acknowledged writes per second. */
  rate: number;
  /** CPU µs the notes processes spent per acknowledged write. */
  cpu: number;
}

/** One load on the cluster as it is; fails on any lost write or non-retryable outcome. */
async function measure(cluster: Cluster, tag: string): Promise<Measure> {
  await runLoad(cluster, { seconds: WARMUP_SECONDS, concurrency: CONCURRENCY, tag: `${tag}-warmup` });
  const cpuBefore = cluster.processes.map((one) => cpuSeconds(one.child.pid));
  const tally = await runLoad(cluster, { seconds: SECONDS, concurrency: CONCURRENCY, tag });
  const cpu = cluster.processes.reduce(
    (sum, one, i) => sum + cpuSeconds(one.child.pid) - (cpuBefore[i] ?? 0),
    0,
  );
  const missing = await missingNotes(cluster.dataDir, tally.acked);
  if (tally.faults.length > 0 || missing.length > 0 || tally.retryable > 0) {
    throw new Error(
      `${tag}: faults ${tally.faults.slice(0, 5)}; missing ${missing.slice(0, 5)}; retryable ${tally.retryable}`,
    );
  }
  const by = PROTOCOLS.map(
    (protocol) => `${protocol} ${(tally.ackedBy[protocol] / tally.seconds).toFixed(0)}`,
  ).join(', ');
  const rate = tally.acked.size / tally.seconds;
  console.log(
    `  ${tag.padEnd(14)} ${rate.toFixed(0).padStart(6)} writes/s (${by})  ${((cpu / tally.acked.size) * 1e6).toFixed(0)} µs service CPU/write`,
  );
  return { rate, cpu: (cpu / tally.acked.size) * 1e6 };
}

async function main(): Promise<void> {
  if (!requireNginx())
    throw new Error('nginx with its stream module is needed (Debian: nginx, libnginx-mod-stream)');
  console.log(
    `Scaling: the notes service behind nginx and mosquitto, ${ROUNDS} interleaved rounds of ${SECONDS}s${SMOKE ? ' [smoke]' : ''}`,
  );
  const cluster = await startCluster(1);
  const one: Measure[] = [];
  const two: Measure[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const count of round % 2 === 0 ? [1, 2] : [2, 1]) {
        await cluster.scaleTo(count);
        (count === 1 ? one : two).push(
          await measure(cluster, `r${round}-${count}-process${count === 1 ? '' : 'es'}`),
        );
      }
    }
    await cluster.scaleTo(2);
    console.log('  SIGKILL of one of two processes under load:');
    const tally = await runLoad(cluster, {
      seconds: Math.max(SECONDS, 3),
      concurrency: CONCURRENCY,
      tag: 'kill',
      meanwhile: { afterSeconds: Math.max(SECONDS, 3) / 3, action: () => cluster.kill(0) },
    });
    const missing = await missingNotes(cluster.dataDir, tally.acked);
    console.log(
      `  ${tally.acked.size} writes acknowledged, ${missing.length} of them missing afterwards; ${tally.retryable} retryable failures, ${tally.faults.length} other outcomes`,
    );
    const ratio = median(two.map((m) => m.rate)) / median(one.map((m) => m.rate));
    const cpuRatio = median(two.map((m) => m.cpu)) / median(one.map((m) => m.cpu));
    console.log(
      `  2 processes / 1: ${ratio.toFixed(2)}x writes/s, ${cpuRatio.toFixed(2)}x service CPU per write`,
    );
    recordResult({
      measure: 'writes/s over HTTP+SMTP+MQTT, 2 processes / 1 process',
      ratio,
      target: null,
      higherIsBetter: true,
      unit: 'x',
      peer: '',
      detail: `${median(two.map((m) => m.rate)).toFixed(0)} vs ${median(one.map((m) => m.rate)).toFixed(0)} writes/s; service CPU per write ${median(two.map((m) => m.cpu)).toFixed(0)} vs ${median(one.map((m) => m.cpu)).toFixed(0)} µs`,
    });
    recordResult({
      measure: 'acknowledged writes lost, one of 2 processes SIGKILLed',
      ratio: missing.length + tally.faults.length,
      target: 0,
      higherIsBetter: false,
      unit: 'writes',
      peer: '',
      detail: `${tally.acked.size} acknowledged, ${tally.retryable} failed retryable, ${tally.faults.length} other outcomes`,
    });
    if (missing.length > 0 || tally.faults.length > 0) {
      throw new Error(`Lost writes: ${missing.slice(0, 5)}; other outcomes: ${tally.faults.slice(0, 5)}`);
    }
  } finally {
    await cluster.close();
  }
}

await main();
