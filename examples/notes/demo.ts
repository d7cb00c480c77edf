/**
 * The notes demo: one client function, `exercise`, run against the notes service over HTTP,
 * WebSocket, FTP, SMTP and MQTT, and a table of what each operation got over each protocol. It uses the
 * service already running on the configured HTTP port, or starts one in this process for the
 * length of the demo. Exit code 0 only when every cell is as expected.
 *
 * With `--trace`, it shows instead what one PUT and one GET say on each wire, side by side,
 * from the core tracing hook of its clients.
 */
import { connect } from 'node:net';
import { type Client, createClient, readListing, type Transport } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { type Conversation, converse, formatConversations, traceLine } from './demo/trace.js';
import { ConfigError, type NotesConfig, readConfig } from './src/config.js';
import { exercise, type Outcome } from './src/demo/exercise.js';
import { formatTable, problems } from './src/demo/table.js';
import { type NotesService, type NotesUrls, startNotesService } from './src/service.js';
import { mqttServiceUrl, urlHost, WS_PATH } from './src/transports.js';

/** Whether something accepts TCP connections on host:port (within a second). */
function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** The address clients use for a listening address (`0.0.0.0` is reached on the loopback). */
function reachable(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** Where the service configured by `config` listens, when it runs elsewhere. */
function configuredUrls(config: NotesConfig): NotesUrls {
  const host = urlHost(reachable(config.host));
  return {
    http: `http://${host}:${config.httpPort}`,
    ws: `ws://${host}:${config.httpPort}${WS_PATH}`,
    ftp: `ftp://${host}:${config.ftpPort}`,
    smtp: `smtp://${host}:${config.smtpPort}`,
    mqtt: mqttServiceUrl(config.mqttUrl ?? `mqtt://${host}:${config.mqttPort}`),
    mqttWs: undefined,
  };
}

function withLogin(url: string, config: NotesConfig, always: boolean): string {
  if (!always && !config.requireAuth) return url;
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(config.user);
  parsed.password = encodeURIComponent(config.password);
  return parsed.href;
}

/** One transport per protocol, each logging in where the service asks. */
function transportsFor(urls: NotesUrls, config: NotesConfig): [string, Transport][] {
  return [
    ['http', http(withLogin(urls.http, config, false))],
    ['ws', ws(withLogin(urls.ws ?? `${urls.http.replace(/^http/, 'ws')}${WS_PATH}`, config, false))],
    ['ftp', ftp(withLogin(urls.ftp, config, true))],
    ['smtp', smtp(withLogin(urls.smtp, config, false))],
    ['mqtt', mqtt(withLogin(urls.mqtt, config, false))],
  ];
}

/** One client per protocol: the same `Client` type, five transports. */
function clientsFor(urls: NotesUrls, config: NotesConfig): [string, Client][] {
  return transportsFor(urls, config).map(([name, transport]) => [name, createClient(transport)]);
}

/** Deletes the notes that appeared since `before` (the demo leaves the notes as it found them). */
async function cleanUp(client: Client, before: ReadonlySet<string>): Promise<void> {
  const now = await readListing(await client.list('/notes/'));
  for (const entry of now) {
    if (!before.has(entry.name)) await (await client.delete(`/notes/${entry.name}`)).body.cancel();
  }
}

async function noteNames(client: Client): Promise<Set<string>> {
  return new Set((await readListing(await client.list('/notes/'))).map((entry) => entry.name));
}

async function main(): Promise<number> {
  let config: NotesConfig;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`demo: ${error.message}`);
    return 2;
  }
  let service: NotesService | undefined;
  let urls: NotesUrls;
  if (config.httpPort !== 0 && (await isListening(reachable(config.host), config.httpPort))) {
    urls = configuredUrls(config);
    console.log(`Using the notes service running at ${urls.http}`);
  } else {
    try {
      service = await startNotesService({ config, log: () => {} });
    } catch (error) {
      console.error(
        `demo: could not start the notes service: ${error instanceof Error ? error.message : error}`,
      );
      console.error(
        'demo: free the port, or choose others with PARLEY_*_PORT (see examples/notes/README.md)',
      );
      return 1;
    }
    urls = service.urls;
    console.log(`Started the notes service in this process at ${urls.http} (stopped at the end)`);
  }

  try {
    return process.argv.includes('--trace') ? await showTraces(urls, config) : await showTable(urls, config);
  } finally {
    await service?.close({ timeoutMs: 5_000 });
  }
}

/** The table of what every operation got over every protocol; 0 when every cell is as expected. */
async function showTable(urls: NotesUrls, config: NotesConfig): Promise<number> {
  const clients = clientsFor(urls, config);
  const results = new Map<string, Outcome[]>();
  try {
    const overHttp = (clients[0] as [string, Client])[1];
    const before = await noteNames(overHttp);
    for (const [protocol, client] of clients) results.set(protocol, await exercise(client));
    await cleanUp(overHttp, before);
  } finally {
    await Promise.all(clients.map(([, client]) => client.close()));
  }

  console.log(`\n${formatTable(results)}\n`);
  const found = problems(results);
  if (found.length === 0) {
    console.log('Every cell is as expected: "- (not carried)" is the client refusing, before the network,');
    console.log('an operation the protocol does not carry (SMTP carries POST only).');
    return 0;
  }
  console.log(`Not as expected (${found.length}):`);
  for (const problem of found) console.log(`  ${problem}`);
  return 1;
}

/** One PUT and one GET per protocol with the wire dialogue of each; 0 when each ended as expected. */
async function showTraces(urls: NotesUrls, config: NotesConfig): Promise<number> {
  const plain = createClient(http(withLogin(urls.http, config, false)));
  const traced = transportsFor(urls, config).map(([, transport]) => {
    const events: string[] = [];
    return { events, client: createClient(transport, { trace: (event) => events.push(traceLine(event)) }) };
  });
  const conversations: Conversation[] = [];
  try {
    const before = await noteNames(plain);
    for (const { client, events } of traced) conversations.push(await converse(client, events));
    await cleanUp(plain, before);
  } finally {
    await Promise.all([plain, ...traced.map(({ client }) => client)].map((client) => client.close()));
  }
  const width = Math.max(80, Math.min(160, process.stdout.isTTY ? process.stdout.columns : 120));
  console.log('\nThe same two calls of the same Client, as each protocol says them on the wire');
  console.log('(> sent by the client, < received, * connection events; = what the call returned):\n');
  console.log(`${formatConversations(conversations, width)}\n`);
  const wrong = conversations.flatMap(({ protocol, write, read }) =>
    [write, read].filter((d) => !d.expected).map((d) => `${protocol}: ${d.call}: ${d.outcome}`),
  );
  for (const line of wrong) console.log(`Not as expected: ${line}`);
  return wrong.length === 0 ? 0 : 1;
}

process.exit(await main());
