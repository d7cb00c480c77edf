// A small notes service served over MQTT.
//
// How a request travels over MQTT:
//
// 1. There is a broker in the middle. Neither the client nor the server listens on a port of its
//    own: both connect OUT to the broker (mosquitto, EMQX, HiveMQ... or the embedded aedes broker
//    started below). That is why a server can run behind NAT or a firewall.
// 2. A request is a message published on a topic that names the method and the path:
//    `notes-service/GET/notes/hello.txt`. The server subscribed to `notes-service/GET/#` (and the
//    other methods), so the broker hands it the message.
// 3. The reply goes to the requester's own reply topic, `notes-service/reply/<clientId>`, which it
//    subscribed to before asking. The request names that topic (MQTT 5: the Response Topic
//    property; MQTT 3.1.1: a one-line JSON envelope before the body).
// 4. Correlation: a client may have many requests in flight, so each request carries a
//    correlation id (MQTT 5 Correlation Data, or `id` in the envelope) that the reply echoes.
// 5. QoS 1 (the default): the broker acknowledges every message and retries delivery until it is
//    acknowledged, so a request is delivered at least once while connections are up.
// 6. Servers keep no state between requests and all subscribe to the same topics with a shared
//    subscription (`$share/<group>/notes-service/GET/#`), so an MQTT 5 broker hands each request
//    to ONE of them: start more instances to scale out, kill one and the others carry on.
//    (The embedded aedes broker speaks MQTT 3.1.1 without shared subscriptions: there every
//    instance would get every request, so run one instance on it.)
//
// Run it: `pnpm start` (starts the embedded broker on 127.0.0.1:1883), or point it at your own
// broker: `MQTT_URL=mqtt://127.0.0.1:1883/notes-service pnpm start`. Then ask it, as a plain
// MQTT 3.1.1 client (the reply comes on the plain reply topic, see docs/mqtt.md):
//   mosquitto_rr -V 311 -p 1883 -t notes-service/GET/notes/hello.txt \
//     -e notes-service/reply/GET/notes/hello.txt -m ''
import { createRouter, createServer, logRequests, respond, respondListing } from '@parley/core';
import { type Broker, mqtt, startBroker } from '@parley/mqtt';

/** The service: notes kept in memory, the same whichever protocol carries the requests. */
export function notesRouter() {
  const notes = new Map<string, string>([['hello.txt', 'Hello over MQTT!']]);
  return createRouter()
    .list('/notes/', async () =>
      respondListing([...notes].map(([name, text]) => ({ name, type: 'file', size: text.length }))),
    )
    .get('/notes/:name', async (request) => {
      const text = notes.get(request.params.name);
      return text === undefined
        ? respond('not_found', 'No such note')
        : respond('ok', text, { 'content-type': 'text/plain' });
    })
    .put('/notes/:name', async (request) => {
      const name = request.params.name;
      const created = !notes.has(name);
      notes.set(name, await request.body.text({ limit: 64 * 1024 }));
      return respond(created ? 'created' : 'ok');
    })
    .delete('/notes/:name', async (request) =>
      notes.delete(request.params.name) ? respond('ok') : respond('not_found', 'No such note'),
    );
}

/** Starts the service; returns its URL and a function that shuts it down gracefully. */
export async function startNotesServer(
  options: { mqttUrl?: string | undefined; brokerPort?: number | undefined } = {},
) {
  // No broker given: start the embedded one in this process (zero setup).
  let broker: Broker | undefined;
  let url = options.mqttUrl;
  if (url === undefined) {
    broker = await startBroker({ port: options.brokerPort ?? 1883 });
    url = `${broker.url}/notes-service`;
  }
  // `logRequests()` prints one line per request: protocol, method, path, status, duration.
  const server = createServer(notesRouter(), { middleware: [logRequests()] });
  // Listening on MQTT means: connect to the broker, subscribe to the request topics.
  await server.listen(mqtt(url));
  const stop = async (): Promise<void> => {
    // Graceful close: unsubscribe (no new requests reach this instance; with a shared subscription
    // the broker sends them to the other instances), answer the requests in flight, disconnect.
    await server.close({ timeoutMs: 5000 });
    await broker?.close();
  };
  return { url, server, stop };
}

// Started directly (`pnpm start`): serve until SIGINT or SIGTERM.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { url, stop } = await startNotesServer({ mqttUrl: process.env.MQTT_URL });
  console.log(`notes service on ${url}: requests on notes-service/<METHOD>/<path>`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: finishing requests in flight, then closing`);
      void stop().then(() => process.exit(0));
    });
  }
}
