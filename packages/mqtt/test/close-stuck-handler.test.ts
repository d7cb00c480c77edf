import { type Client, createClient, createServer, type ParleyError, respond } from '@parley/core';
import { type Broker, mqtt, startBroker } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';

let broker: Broker | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  await broker?.close();
  client = undefined;
  broker = undefined;
});

describe('mqtt server closed while a handler ignores its signal', () => {
  it('answers the waiting caller unavailable at the deadline and reports nothing once the handler ends', async () => {
    broker = await startBroker({ port: 0 });
    const errors: ParleyError[] = [];
    let finish = (): void => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let started = (): void => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const server = createServer(
      async () => {
        started();
        await finished;
        return respond('ok', 'late');
      },
      { onError: (error) => errors.push(error) },
    );
    const listener = await server.listen(mqtt(`${broker.url}/stuck-handler`));
    client = createClient(mqtt(listener.url), { timeoutMs: 10_000 });
    const call = client.get('/x');
    await running;
    await server.close({ timeoutMs: 50 });
    const response = await call;
    expect(response.status).toBe('unavailable');
    finish();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});
