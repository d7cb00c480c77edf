import type { ConnectContext, Connector } from '@parley/core/transport';
import type { MqttSettings } from '../options.js';
import type { MqttTarget } from '../url.js';
import { MqttConnector } from './connector.js';

/**
 * Opens the client side: a broker connection carrying requests, with the events capability,
 * tracing its packets when the client traces.
 */
export function connectMqtt(target: MqttTarget, settings: MqttSettings, context?: ConnectContext): Connector {
  const trace = context?.trace;
  const connector = new MqttConnector(
    target,
    trace ? { ...settings, trace: { hook: trace, side: 'client' } } : settings,
  );
  return {
    send: (request) => connector.send(request),
    explainTimeout: (waitedMs) => connector.explainTimeout(waitedMs),
    events: {
      publish: (path, body, headers) => connector.publish(path, body, headers),
      subscribe: (pattern, signal, limits) => connector.subscribe(pattern, signal, limits),
    },
    close: () => connector.close(),
  };
}
