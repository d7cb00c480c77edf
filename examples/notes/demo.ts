/**
 * The notes demo: one client function, `exercise`, run against the notes service over HTTP,
 * FTP, SMTP and MQTT, and a table of what each operation got over each protocol. It uses the
 * service already running on the configured HTTP port, or starts one in this process for the
 * length of the demo. Exit code 0 only when every cell is as expected.
 */
import { connect } from 'node:net';
import { type Client, createClient, readListing } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ConfigError, type NotesConfig, readConfig } from './src/config.js';
import { exercise, type Outcome } from './src/demo/exercise.js';
import { formatTable, problems } from './src/demo/table.js';
import { type NotesService, type NotesUrls, startNotesService } from './src/service.js';
import { mqttServiceUrl, urlHost } from './src/transports.js';

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

/** One client per protocol: the same `Client` type, four transports. */
function clientsFor(urls: NotesUrls, config: NotesConfig): [string, Client][] {
  return [
    ['http', createClient(http(withLogin(urls.http, config, false)))],
    ['ftp', createClient(ftp(withLogin(urls.ftp, config, true)))],
    ['smtp', createClient(smtp(withLogin(urls.smtp, config, false)))],
    ['mqtt', createClient(mqtt(withLogin(urls.mqtt, config, false)))],
  ];
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

  const clients = clientsFor(urls, config);
  const results = new Map<string, Outcome[]>();
  try {
    const overHttp = (clients[0] as [string, Client])[1];
    const before = await noteNames(overHttp);
    for (const [protocol, client] of clients) results.set(protocol, await exercise(client));
    await cleanUp(overHttp, before);
  } finally {
    await Promise.all(clients.map(([, client]) => client.close()));
    await service?.close({ timeoutMs: 5_000 });
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

process.exit(await main());
