import { ParleyError, type PasswordCredentials } from '@parley/core';
import { credentialsOf, hostOf, portOf } from '@parley/core/transport';

/** A parsed `mqtt://[user:pass@]host:port/<service-prefix>` URL. */
export interface MqttTarget {
  /** `mqtt` or `mqtts`. */
  readonly scheme: 'mqtt' | 'mqtts';
  /** The broker's host name or address. */
  readonly host: string;
  /** The broker's port (default 1883, or 8883 for `mqtts`). */
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
  const parsed = new URL(url);
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'mqtt' && scheme !== 'mqtts') {
    throw new ParleyError(
      'bad_request',
      `An MQTT URL starts with mqtt:// or mqtts://, not ${parsed.protocol}//`,
    );
  }
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
  const port = portOf(parsed, scheme === 'mqtts' ? 8883 : 1883);
  const host = hostOf(parsed);
  const credentials = credentialsOf(parsed);
  return { scheme, host, port, prefix, credentials, url: `${scheme}://${parsed.host}/${prefix}` };
}
