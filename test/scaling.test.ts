import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../bench/scaling/cluster.js';
import { type LoadTally, missingNotes, runLoad } from '../bench/scaling/load.js';
import { requireNginx } from '../bench/scaling/nginx.js';
import { requireMosquitto } from './support/mosquitto.js';

// Under CI a missing nginx or mosquitto fails here; elsewhere the suite skips.
const peers = requireNginx() && requireMosquitto();
const CONCURRENCY = { http: 8, smtp: 4, mqtt: 8 };

describe.skipIf(!peers)('the notes service scaled out behind nginx and mosquitto', () => {
  let cluster: Cluster;
  const loads: LoadTally[] = [];

  beforeAll(async () => {
    cluster = await startCluster(1);
  }, 90_000);
  afterAll(() => cluster?.close(), 30_000);

  it('serves writes over HTTP, SMTP and MQTT from one process, losing none', async () => {
    const tally = await runLoad(cluster, { seconds: 3, concurrency: CONCURRENCY, tag: 'one' });
    loads.push(tally);
    expect(tally.faults).toEqual([]);
    expect(tally.retryable).toBe(0);
    for (const protocol of ['http', 'smtp', 'mqtt'] as const)
      expect(tally.ackedBy[protocol]).toBeGreaterThan(0);
    expect(await missingNotes(cluster.dataDir, tally.acked)).toEqual([]);
  }, 60_000);

  it('splits the load between two processes (nginx upstreams, a shared MQTT subscription)', async () => {
    await cluster.scaleTo(2);
    const before = cluster.processes.map((one) => ({ ...one.served }));
    const tally = await runLoad(cluster, { seconds: 3, concurrency: CONCURRENCY, tag: 'two' });
    loads.push(tally);
    expect(tally.faults).toEqual([]);
    expect(tally.retryable).toBe(0);
    expect(await missingNotes(cluster.dataDir, tally.acked)).toEqual([]);
    // Both processes served requests of every protocol.
    cluster.processes.forEach((one, index) => {
      for (const protocol of ['http', 'smtp', 'mqtt']) {
        expect(one.served[protocol] ?? 0, `process ${index} over ${protocol}`).toBeGreaterThan(
          before[index]?.[protocol] ?? 0,
        );
      }
    });
  }, 90_000);

  it('keeps every acknowledged write when one process is SIGKILLed under load', async () => {
    const tally = await runLoad(cluster, {
      seconds: 5,
      concurrency: CONCURRENCY,
      tag: 'kill',
      meanwhile: { afterSeconds: 1.5, action: () => cluster.kill(0) },
    });
    expect(cluster.processes.length).toBe(1);
    // Every request was answered or failed in a way a client may retry: no other outcome.
    expect(tally.faults).toEqual([]);
    expect(await missingNotes(cluster.dataDir, tally.acked)).toEqual([]);
    // The survivor kept serving every protocol after the kill.
    const after = await runLoad(cluster, { seconds: 1, concurrency: CONCURRENCY, tag: 'after' });
    expect(after.faults).toEqual([]);
    for (const protocol of ['http', 'smtp', 'mqtt'] as const)
      expect(after.ackedBy[protocol]).toBeGreaterThan(0);
    expect(await missingNotes(cluster.dataDir, after.acked)).toEqual([]);
    console.log(
      `writes/s: 1 process ${rate(loads[0])}, 2 processes ${rate(loads[1])}; during the kill ${tally.acked.size} acknowledged, ${tally.retryable} retryable failures`,
    );
  }, 90_000);
});

function rate(tally: LoadTally | undefined): string {
  return tally === undefined ? '-' : (tally.acked.size / tally.seconds).toFixed(0);
}
