import { ParleyError, type Transport } from '@parley/core';
import { connectMqtt } from './client/connect.js';
import { MQTT_CONTRACT } from './contract.js';
import { type MqttOptions, resolveOptions } from './options.js';
import { parseTarget } from './url.js';

/**
 * The MQTT transport in browsers: the client side only, over WebSocket (`ws://` or `wss://`
 * `host:port/<service-prefix>`, the endpoint at the `wsPath` option). The same topics, wire
 * format and contract as `@parley/mqtt` in Node.js; listening is refused with `unsupported`.
 *
 * @example
 * ```ts
 * const client = createClient(mqtt('wss://broker.example/notes-service'));
 * const res = await client.get('/notes/hello.txt');
 * ```
 */
export function mqtt(url: string, options?: MqttOptions): Transport {
  const target = parseTarget(url);
  if (target.scheme !== 'ws' && target.scheme !== 'wss') {
    throw new ParleyError(
      'bad_request',
      `A browser reaches MQTT brokers over ws:// or wss:// only, not ${url}`,
    );
  }
  const settings = resolveOptions(options);
  return {
    contract: MQTT_CONTRACT,
    url: target.url,
    connect: (context) => connectMqtt(target, settings, context),
    listen: async () => {
      throw new ParleyError('unsupported', 'A browser page does not serve over MQTT here', {
        retryable: false,
      });
    },
  };
}
