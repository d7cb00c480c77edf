import { createClient, createRouter, createServer, passwordTable, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';

describe('replies on the embedded broker, servers authenticating', () => {
  it("refuse another client's publish on a logged-in client's reply topic: no forged answers", async () => {
    const broker = await startBroker({ port: 0 });
    const server = createServer(
      createRouter().get('/slow', async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return respond('ok', 'genuine');
      }),
      { authenticate: passwordTable({ alice: 'pw' }) },
    );
    const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      await server.listen(mqtt(`${broker.url}/svc`));
      // Eve sees the request (topics are not secret) and answers first on alice's reply topic.
      const forged = new Promise<string>((resolve) => {
        eve.on('message', (_topic, payload) => {
          const head = JSON.parse(payload.toString().split('\n')[0] as string) as {
            replyTo: string;
            id: string;
          };
          const reply = `${JSON.stringify({ parley: 1, id: head.id, status: 'ok', headers: {} })}\nforged`;
          eve.publish(head.replyTo, reply, () => resolve(head.replyTo));
        });
      });
      await eve.subscribeAsync('svc/GET/#');
      await using alice = createClient(mqtt(`mqtt://alice:pw@${new URL(broker.url).host}/svc`));
      const reply = await alice.get('/slow');
      await forged;
      expect(await reply.body.text()).toBe('genuine');
    } finally {
      eve.end(true);
      await server.close({ timeoutMs: 1_000 });
      await broker.close();
    }
  });
});

describe('reply topics on the embedded broker, servers authenticating', () => {
  it.each(['svc/reply/#', '#', '+/reply/#'])(
    "reach their own client only: another subscribed to '%s' reads none of them",
    async (filter) => {
      const broker = await startBroker({ port: 0 });
      const server = createServer(
        createRouter().get('/secret', async (request) =>
          respond('ok', `for ${request.peer.principal?.name}`),
        ),
        { authenticate: passwordTable({ alice: 'pw', bob: 'pw2' }) },
      );
      const host = new URL(broker.url).host;
      // An anonymous client, and one logged in as another user.
      const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      const bob = await mqttjs.connectAsync(`mqtt://bob:pw2@${host}`, { reconnectPeriod: 0 });
      try {
        await server.listen(mqtt(`${broker.url}/svc`));
        const read: string[] = [];
        for (const peer of [eve, bob]) {
          peer.on('message', (topic, payload) => {
            if (topic.startsWith('svc/reply/')) read.push(payload.toString());
          });
          await peer.subscribeAsync(filter);
        }
        await using alice = createClient(mqtt(`mqtt://alice:pw@${host}/svc`));
        expect(await (await alice.get('/secret')).body.text()).toBe('for alice');
        // A plain request's reply (its own topic, no logged-in owner) still reaches its readers.
        await eve.publishAsync('svc/GET/secret', '', { qos: 1 });
        await expect.poll(() => read.length).toBeGreaterThan(0);
        expect(read.join('\n')).not.toMatch(/for alice/);
      } finally {
        eve.end(true);
        bob.end(true);
        await server.close({ timeoutMs: 1_000 });
        await broker.close();
      }
    },
  );
});
