import { type Client, createClient, createServer, type Service, type Transport } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt, startBroker } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, beforeAll } from 'vitest';

/** A transport {@link servedOverEveryTransport} can serve on. */
export type TransportName = 'http' | 'ftp' | 'smtp' | 'mqtt' | 'ws';

/**
 * Serves `service` (a router or a handler) on each of `names` (MQTT on an embedded broker, under
 * `mqttPrefix`) before the calling file's tests, with one client each (no retries, 5 s timeout),
 * and closes them all after the tests. The map of clients, by transport name in the order of
 * `names`, fills in `beforeAll`.
 */
export function servedOverEveryTransport(
  service: Service,
  names: readonly TransportName[],
  mqttPrefix: string,
): Map<TransportName, Client> {
  const clients = new Map<TransportName, Client>();
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const broker = await startBroker({ port: 0 });
    const server = createServer(service);
    close = async () => {
      await Promise.all([...clients.values()].map((client) => client.close()));
      await server.close({ timeoutMs: 2000 });
      await broker.close();
    };
    const targets: Record<TransportName, [Transport, (url: string) => Transport]> = {
      http: [http('http://127.0.0.1:0'), http],
      ftp: [ftp('ftp://127.0.0.1:0'), ftp],
      smtp: [smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }), smtp],
      mqtt: [mqtt(`${broker.url}/${mqttPrefix}`), mqtt],
      ws: [ws('ws://127.0.0.1:0/parley'), ws],
    };
    for (const name of names) {
      const [serve, connect] = targets[name];
      const listener = await server.listen(serve);
      clients.set(name, createClient(connect(listener.url), { retries: 0, timeoutMs: 5000 }));
    }
  });
  afterAll(() => close());
  return clients;
}
