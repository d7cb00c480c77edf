import { createClient, createRouter, createServer, passwordTable, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs, { type IClientOptions } from 'mqtt';
import { describe, expect, it } from 'vitest';

/** A service whose one route answers after 400 ms with a secret of the requester. */
function slowSecrets() {
  return createServer(
    createRouter().get('/slow', async (req) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return respond('ok', `secret of ${req.peer.principal?.name}`);
    }),
    { authenticate: passwordTable({ alice: 'pw', bob: 'pw2' }) },
  );
}

/** The CONNACK return code of a 3.1.1 CONNECT with `options` (0: accepted; the client is ended). */
async function connackCode(url: string, options: IClientOptions): Promise<number> {
  try {
    const client = await mqttjs.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
    await client.endAsync();
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

/** The client id behind alice's first request, read by a `svc/GET/#` subscriber. */
async function requesterId(url: string, act: () => void): Promise<string> {
  const eve = await mqttjs.connectAsync(url, { reconnectPeriod: 0 });
  try {
    const seen = new Promise<string>((resolve) =>
      eve.on('message', (_topic, payload) => {
        const replyTo = /"replyTo":"svc\/reply\/([^"]+)"/.exec(payload.toString())?.[1];
        if (replyTo !== undefined) resolve(replyTo);
      }),
    );
    await eve.subscribeAsync('svc/GET/#');
    act();
    return await seen;
  } finally {
    eve.end(true);
  }
}

describe('client ids on the embedded broker, servers authenticating', () => {
  it("refuses an anonymous or other user's CONNECT with a logged-in client's id (CONNACK 2): its replies stay its own", async () => {
    const broker = await startBroker({ port: 0 });
    const server = slowSecrets();
    try {
      await server.listen(mqtt(`${broker.url}/svc`));
      const host = new URL(broker.url).host;
      await using alice = createClient(mqtt(`mqtt://alice:pw@${host}/svc`));
      let pending: ReturnType<typeof alice.get> | undefined;
      const aliceId = await requesterId(broker.url, () => {
        pending = alice.get('/slow');
      });
      const stolen: string[] = [];
      let thief: mqttjs.MqttClient | undefined;
      try {
        thief = await mqttjs.connectAsync(broker.url, { clientId: aliceId, reconnectPeriod: 0 });
        thief.on('message', (_topic, payload) => stolen.push(payload.toString()));
        await thief.subscribeAsync(`svc/reply/${aliceId}`);
      } catch (error) {
        expect((error as { code?: number }).code).toBe(2);
      }
      const reply = await pending;
      expect(await reply?.body.text()).toBe('secret of alice');
      thief?.end(true);
      expect(stolen).toEqual([]);
      expect(thief).toBeUndefined();
      expect(await connackCode(broker.url, { clientId: aliceId, username: 'bob', password: 'pw2' })).toBe(2);
      // alice herself may connect again under her id (a connection she lost but the broker has not noticed).
      expect(await connackCode(broker.url, { clientId: aliceId, username: 'alice', password: 'pw' })).toBe(0);
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });

  it("refuses a CONNECT with a connected server's id: nobody answers in the server's name", async () => {
    const broker = await startBroker({ port: 0 });
    const server = slowSecrets();
    try {
      await server.listen(mqtt(`${broker.url}/svc`, { clientId: 'svc-server-1' }));
      expect(await connackCode(broker.url, { clientId: 'svc-server-1' })).toBe(2);
      await using alice = createClient(mqtt(`mqtt://alice:pw@${new URL(broker.url).host}/svc`));
      expect(await (await alice.get('/slow')).body.text()).toBe('secret of alice');
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });
});
