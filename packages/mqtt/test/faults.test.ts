import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Client, createClient, ParleyError } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

const script = fileURLToPath(new URL('./fixtures/server.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Starts a server process and waits for it to say it is ready. */
function startServer(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, MQTT_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

type Outcome = { id: number; ok: true } | { id: number; ok: false; error: ParleyError };

/** Sends `count` GETs over `clients`, `concurrency` at a time each; `onProgress` sees each completion. */
async function load(
  clients: Client[],
  count: number,
  concurrency: number,
  onProgress: (done: number) => void,
) {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (client: Client): Promise<void> => {
    while (next < count) {
      const id = next++;
      try {
        const response = await client.get(`/work/${id}`);
        const text = await response.body.text();
        if (response.status !== 'ok' || !text.startsWith(`${id} `))
          throw new Error(`wrong answer to ${id}: ${text}`);
        outcomes.push({ id, ok: true });
      } catch (error) {
        if (!(error instanceof ParleyError)) throw error;
        outcomes.push({ id, ok: false, error });
      }
      onProgress(outcomes.length);
    }
  };
  await Promise.all(clients.flatMap((client) => Array.from({ length: concurrency }, () => worker(client))));
  return outcomes;
}

function checkOnce(outcomes: Outcome[], count: number): void {
  expect(outcomes).toHaveLength(count);
  expect(new Set(outcomes.map((outcome) => outcome.id)).size).toBe(count);
  for (const outcome of outcomes) {
    if (!outcome.ok)
      expect(outcome.error.retryable, `${outcome.error.status}: ${outcome.error.message}`).toBe(true);
  }
}

describe.runIf(requireMosquitto())('faults over mosquitto', () => {
  let broker: Mosquitto | undefined;
  const children: ChildProcess[] = [];
  const clients: Client[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await broker?.stop();
    broker = undefined;
  });

  const makeClients = (url: string, retries: number): Client[] => {
    const made = Array.from({ length: 4 }, () =>
      createClient(mqtt(url, { timeoutMs: 2000, reconnectPeriodMs: 200 }), {
        retries,
        timeoutMs: 20_000,
        retryDelayMs: 50,
      }),
    );
    clients.push(...made);
    return made;
  };

  it('three servers share the requests; killing one loses nothing that retries cannot recover', async () => {
    broker = await startMosquitto();
    const url = `${broker.url}/faults`;
    children.push(...(await Promise.all([startServer(url), startServer(url), startServer(url)])));
    const [first, second] = children as [ChildProcess, ChildProcess];

    // Without retries: every request is answered once, or fails with a retryable error.
    const plain = await load(makeClients(url, 0), 2000, 8, (done) => {
      if (done === 500) first.kill('SIGKILL');
    });
    checkOnce(plain, 2000);
    const failed = plain.filter((outcome) => !outcome.ok).length;
    console.log(`server killed without retries: ${2000 - failed} answered, ${failed} failed (retryable)`);

    // With retries (idempotent GETs): every request succeeds although another server dies.
    const retried = await load(makeClients(url, 4), 2000, 8, (done) => {
      if (done === 500) second.kill('SIGKILL');
    });
    checkOnce(retried, 2000);
    expect(
      retried.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.error.message),
    ).toEqual([]);
  }, 90_000);

  it('survives a broker restart: in-flight requests end cleanly, then client and server reconnect', async () => {
    broker = await startMosquitto();
    const url = `${broker.url}/restart`;
    children.push(await startServer(url));
    const running = broker;
    const plain = await load(makeClients(url, 0), 1000, 4, (done) => {
      if (done === 300) void running.restart();
    });
    checkOnce(plain, 1000);
    const failed = plain.filter((outcome) => !outcome.ok).length;
    console.log(`broker restarted without retries: ${1000 - failed} answered, ${failed} failed (retryable)`);
    const [client] = makeClients(url, 4);
    const later = await client?.get('/work/after');
    expect(later?.status).toBe('ok');
    expect(await later?.body.text()).toMatch(/^after /);
  }, 90_000);
});
