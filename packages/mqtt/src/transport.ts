import type { Transport } from '@parley/core/transport';
import { connectMqtt } from './client/connect.js';
import { MQTT_CONTRACT } from './contract.js';
import { type MqttOptions, resolveOptions } from './options.js';
import { listenMqtt } from './server/listener.js';
import { parseTarget } from './url.js';

/**
 * The MQTT transport: `mqtt://[user:pass@]host:port/<service-prefix>` (or `mqtts://`, or
 * `ws://` and `wss://` for MQTT over WebSocket, at the `wsPath` option's path). Clients
 * publish requests on `<prefix>/<METHOD>/<path>` and get replies on their own
 * `<prefix>/reply/<clientId>`; servers are broker clients that share the request topics, so many
 * instances split the load. MQTT 5 is used when the broker speaks it, 3.1.1 otherwise.
 *
 * @param url - `mqtt://host:port/<service-prefix>` (or `mqtts://`, `ws://`, `wss://`), with credentials in the userinfo
 * @param options - timeouts, limits and the MQTT version
 * @returns The transport.
 *
 * @example
 * ```ts
 * const broker = await startBroker({ port: 0 });
 * const server = createServer(router);
 * await server.listen(mqtt(`${broker.url}/notes-service`));
 * const client = createClient(mqtt(`${broker.url}/notes-service`));
 * const res = await client.get('/notes/hello.txt');
 * ```
 */
export function mqtt(url: string, options?: MqttOptions): Transport {
  const target = parseTarget(url);
  const settings = resolveOptions(options);
  return {
    contract: MQTT_CONTRACT,
    url: target.url,
    connect: (context) => connectMqtt(target, settings, context),
    listen: (context) =>
      listenMqtt(
        target,
        context.trace ? { ...settings, trace: { hook: context.trace, side: 'server' } } : settings,
        context,
      ),
  };
}
