import {
  type CloseOptions,
  createServer,
  logRequests,
  passwordTable,
  type Request,
  refuseCrossSite,
  type Server,
  type Transport,
} from '@parley/core';
import { type Broker, startBroker } from '@parley/mqtt';
import { parseMail } from '@parley/smtp';
import { ChangeFeed } from './changes.js';
import { MEMORY_DATA_DIR, type NotesConfig } from './config.js';
import { openDiskStore } from './disk-store.js';
import { maxMailBytes } from './mail.js';
import { createMemoryStore } from './memory-store.js';
import { createNotesRouter } from './notes-router.js';
import type { PageEndpoints } from './page.js';
import { DEFAULT_MAX_NOTE_BYTES, type NoteStore } from './store.js';
import {
  ftpServerTransport,
  httpServerTransport,
  MQTT_PREFIX,
  mqttServerTransport,
  smtpServerTransport,
  WS_PATH,
  wsServerTransport,
} from './transports.js';

/** Options of {@link startNotesService}. */
export interface NotesServiceOptions {
  /** The configuration (see `readConfig`). */
  readonly config: NotesConfig;
  /** Where the one line per request goes. Default: `console.log`. */
  readonly log?: ((line: string) => void) | undefined;
  /** The store; default: the directory `config.dataDir`, or memory for `:memory:`. */
  readonly store?: NoteStore | undefined;
  /** The largest note, in bytes, over every protocol. Default: 64 MiB. */
  readonly maxNoteBytes?: number | undefined;
}

/** Where a running notes service can be reached. */
export interface NotesUrls {
  /** The HTTP listener; the live page is at its root. */
  readonly http: string;
  /** The WebSocket endpoint on the HTTP port (`ws://127.0.0.1:8080/parley`); always set on a running service. */
  readonly ws?: string | undefined;
  /** The FTP listener. */
  readonly ftp: string;
  /** The SMTP listener. */
  readonly smtp: string;
  /** The MQTT listener: broker URL and service prefix. */
  readonly mqtt: string;
  /** The embedded broker's WebSocket URL, when it runs one. */
  readonly mqttWs: string | undefined;
}

/** A running notes service. */
export interface NotesService {
  /** The one server behind every protocol. */
  readonly server: Server;
  /** Where each protocol listens. */
  readonly urls: NotesUrls;
  /** The notes. */
  readonly store: NoteStore;
  /** The changes, as the live page sees them. */
  readonly feed: ChangeFeed;
  /** Shuts down: ends the live pages' streams, lets requests in flight finish, closes everything. */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Starts the notes service: one router on one server, listening on HTTP, WebSocket (on the HTTP
 * port, at `/parley`), FTP, SMTP and MQTT (with an embedded broker unless `mqttUrl` is set).
 */
export async function startNotesService(options: NotesServiceOptions): Promise<NotesService> {
  const { config } = options;
  const maxNoteBytes = options.maxNoteBytes ?? DEFAULT_MAX_NOTE_BYTES;
  const store =
    options.store ??
    (config.dataDir === MEMORY_DATA_DIR
      ? createMemoryStore({ maxNoteBytes })
      : await openDiskStore(config.dataDir, { maxNoteBytes }));
  const feed = new ChangeFeed();
  const login = passwordTable({ [config.user]: config.password });
  // A mail is larger than the note it carries: its header fields and transfer encoding.
  const mailBytes = maxMailBytes(maxNoteBytes);
  const readMail = (request: Request) => parseMail(request, { limit: mailBytes });
  let endpoints: PageEndpoints = { wsPath: WS_PATH };
  const router = createNotesRouter({ store, feed, readMail, endpoints: () => endpoints });
  const server = createServer(router, {
    middleware: [logRequests(options.log ? { write: options.log } : {}), refuseCrossSite()],
    ...(config.requireAuth ? { authenticate: login } : {}),
  });
  const stopPublishing = feed.listen((change) => {
    server.publish(`/notes/${change.name}`, JSON.stringify(change)).catch((error: unknown) => {
      console.error(`Publishing the change of ${change.name} failed:`, error);
    });
  });

  let broker: Broker | undefined;
  let urls: NotesUrls;
  try {
    if (config.mqttUrl === undefined) {
      broker = await startBroker({
        port: config.mqttPort,
        host: config.host,
        wsPort: config.mqttWsPort,
        ...(config.requireAuth ? { authenticate: login } : {}),
      });
    }
    const brokerUrl = config.mqttUrl ?? (broker as Broker).url;
    const listen = (transport: Transport): Promise<string> => server.listen(transport).then((l) => l.url);
    const web = await server.listen(httpServerTransport(config, maxNoteBytes));
    urls = {
      http: web.url,
      ws: await listen(wsServerTransport(config, web, maxNoteBytes)),
      ftp: await listen(ftpServerTransport(config, login, maxNoteBytes)),
      smtp: await listen(smtpServerTransport(config, mailBytes)),
      mqtt: await listen(mqttServerTransport(brokerUrl, config)),
      mqttWs: broker?.wsUrl,
    };
    const mqttWsPort = urls.mqttWs === undefined ? undefined : Number(new URL(urls.mqttWs).port);
    endpoints = {
      wsPath: WS_PATH,
      mqttWs: mqttWsPort === undefined ? undefined : { port: mqttWsPort, prefix: MQTT_PREFIX },
    };
  } catch (error) {
    feed.close();
    await server.close({ timeoutMs: 0 });
    await broker?.close();
    throw error;
  }

  return {
    server,
    store,
    feed,
    urls,
    async close(closeOptions) {
      feed.close();
      await server.close(closeOptions);
      stopPublishing();
      await broker?.close();
    },
  };
}
