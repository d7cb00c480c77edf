import { ParleyError, type PasswordCredentials } from '@parley/core';
import { credentialsOf, hostOf, parseTransportUrl, portOf } from '@parley/core/transport';

/** The URL schemes of MQTT: over TCP (`mqtt`), TLS (`mqtts`), WebSocket (`ws`) and secure WebSocket (`wss`). */
export type MqttScheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

/** The port of each scheme when the URL names none. */
const DEFAULT_PORTS: Readonly<Record<MqttScheme, number>> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

/** A parsed `mqtt://[user:pass@]host:port/<service-prefix>` URL (or `mqtts://`, `ws://`, `wss://`). */
export interface MqttTarget {
  /** `mqtt`, `mqtts`, `ws` or `wss`. */
  readonly scheme: MqttScheme;
  /** The broker's host name or address. */
  readonly host: string;
  /** The broker's port (default 1883; 8883 for `mqtts`, 80 for `ws`, 443 for `wss`). */
  readonly port: number;
  /** The service prefix: the topic level(s) under which requests and events travel. */
  readonly prefix: string;
  /** Credentials from the URL's userinfo, if any. */
  readonly credentials: PasswordCredentials | undefined;
  /** The URL without credentials. */
  readonly url: string;
}

/** Parses a transport URL; a missing or wildcard-bearing prefix is refused with `bad_request`. */
export function parseTarget(url: string): MqttTarget {
  const parsed = parseTransportUrl(url, Object.keys(DEFAULT_PORTS), 'mqtt()');
  const scheme = parsed.protocol.slice(0, -1);
  const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
  if (prefix === '') {
    throw new ParleyError(
      'bad_request',
      `${url} has no service prefix: use mqtt://host:port/<service-prefix>`,
    );
  }
  if (/[+#\0]/.test(prefix) || prefix.startsWith('$')) {
    throw new ParleyError(
      'bad_request',
      `The service prefix "${prefix}" may not hold +, # or NUL, nor start with $`,
    );
  }
  const port = portOf(parsed, DEFAULT_PORTS[scheme as MqttScheme]);
  const host = hostOf(parsed);
  const credentials = credentialsOf(parsed);
  return {
    scheme: scheme as MqttScheme,
    host,
    port,
    prefix,
    credentials,
    url: `${scheme}://${parsed.host}/${prefix}`,
  };
}
