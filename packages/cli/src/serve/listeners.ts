import { passwordTable, type Server, type Trace } from '@parley/core';
import type { ServeOptions } from './options.js';

/** A protocol being served, for the banner. */
export interface Served {
  /** The protocol. */
  readonly name: string;
  /** Where clients reach it. */
  readonly url: string;
}

/** What {@link listenAll} started besides the server's listeners: the embedded broker. */
export interface Started {
  /** What is served where. */
  readonly served: readonly Served[];
  /** Stops the embedded broker (after the server closed). */
  closeBroker(): Promise<void>;
}

/** The path of the WebSocket endpoint on the HTTP port, as in the notes service. */
const WS_PATH = '/parley';

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Listens on every protocol whose port is on; each transport package is loaded only then. */
export async function listenAll(
  server: Server,
  options: ServeOptions,
  trace: Trace | undefined,
): Promise<Started> {
  const host = hostForUrl(options.host);
  const served: Served[] = [];
  const limit = options.maxBodyBytes;
  const { ports } = options;
  if (ports.http !== undefined) {
    const { http } = await import('@parley/http');
    const listener = await server.listen(
      http(`http://${host}:${ports.http}`, limit === undefined ? {} : { maxBodyBytes: limit }),
    );
    served.push({ name: 'http', url: listener.url });
    // @parley/ws on the same port: an upgrade on /parley is a WebSocket, anything else is HTTP.
    const { ws } = await import('@parley/ws');
    const port = new URL(listener.url).port;
    const transport = ws(`ws://${host}:${port}${WS_PATH}`, {
      attachTo: listener,
      allowedHosts: options.allowedHosts,
      // Read-only, anyone may connect: no one may send events to the other subscribers.
      relayClientEvents: options.write,
      ...(limit === undefined ? {} : { maxBodyBytes: limit }),
    });
    served.push({ name: 'ws', url: (await server.listen(transport)).url });
  }
  if (ports.ftp !== undefined) {
    const { ftp } = await import('@parley/ftp');
    const transport = ftp(`ftp://${host}:${ports.ftp}`, {
      server: { anonymous: !options.write, ...(limit === undefined ? {} : { maxBodyBytes: limit }) },
    });
    served.push({ name: 'ftp', url: (await server.listen(transport)).url });
  }
  if (ports.smtp !== undefined) {
    const { smtp } = await import('@parley/smtp');
    const transport = smtp(`smtp://${host}:${ports.smtp}`, {
      allowInsecureAuth: options.write,
      ...(limit === undefined ? {} : { maxMessageBytes: limit }),
    });
    served.push({ name: 'smtp', url: (await server.listen(transport)).url });
  }
  let closeBroker = async (): Promise<void> => {};
  if (ports.mqtt !== undefined) {
    const { mqtt, startBroker } = await import('@parley/mqtt');
    const login = options.login;
    const broker = await startBroker({
      host: options.host,
      port: ports.mqtt,
      ...(ports.mqttWs === undefined ? {} : { wsPort: ports.mqttWs, allowedHosts: options.allowedHosts }),
      ...(login === undefined ? {} : { authenticate: passwordTable({ [login.user]: login.password }) }),
      ...(options.write ? {} : { serverOnlyTopics: [`${options.prefix}/events/#`] }),
    });
    closeBroker = () => broker.close();
    const url = new URL(`${broker.url}/${options.prefix}`);
    if (login !== undefined) {
      url.username = encodeURIComponent(login.user);
      url.password = encodeURIComponent(login.password);
    }
    await server.listen(mqtt(url.href));
    served.push({ name: 'mqtt', url: `${broker.url}/${options.prefix}` });
    if (broker.wsUrl !== undefined)
      served.push({ name: 'mqtt+ws', url: `${broker.wsUrl}/${options.prefix}` });
    void trace;
  }
  return { served, closeBroker };
}
