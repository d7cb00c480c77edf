import { ConfigError, type NotesConfig, readConfig } from './config.js';
import type { NotesService } from './service.js';

/** How long requests in flight may take to finish once a shutdown begins, in ms. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Reads the configuration, starts the service, prints where it listens and waits for a signal. */
async function main(): Promise<void> {
  let config: NotesConfig;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`notes: ${error.message}`);
    process.exit(2);
  }
  // Signals are caught from here on: one arriving while the service starts closes it once started.
  let resolveStarted = (_service: NotesService): void => {};
  stopOnSignals(
    new Promise<NotesService>((resolve) => {
      resolveStarted = resolve;
    }),
  );
  // Loaded once the configuration is known good, so a bad value is reported at once.
  const { startNotesService } = await import('./service.js');
  const service = await startNotesService({ config }).catch((error: unknown) => {
    console.error(`notes: could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  resolveStarted(service);
  printUrls(service, config);
}

function printUrls(service: NotesService, config: NotesConfig): void {
  const urls = {
    http: service.urls.http.replace(/\/$/, ''),
    ws: service.urls.ws ?? '',
    ftp: service.urls.ftp.replace(/\/$/, ''),
    smtp: service.urls.smtp.replace(/\/$/, ''),
    mqtt: service.urls.mqtt,
    mqttWs: service.urls.mqttWs,
  };
  const storage = config.dataDir === ':memory:' ? 'in memory' : `in ${config.dataDir}`;
  console.log(`notes: serving the notes ${storage}`);
  console.log(`  live page  ${urls.http}/`);
  console.log(`  http       ${urls.http}`);
  console.log(`  ws         ${urls.ws}`);
  console.log(`  ftp        ${urls.ftp} (login ${config.user})`);
  console.log(`  smtp       ${urls.smtp} (mail notes@localhost: the subject names the note)`);
  console.log(`  mqtt       ${urls.mqtt}${urls.mqttWs ? ` (broker WebSocket ${urls.mqttWs})` : ''}`);
  console.log(
    config.requireAuth
      ? '  every protocol asks for the login'
      : '  open to all but FTP, which asks for the login',
  );
}

function stopOnSignals(starting: Promise<NotesService>): void {
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`notes: ${signal}, closing (requests in flight may take up to ${SHUTDOWN_TIMEOUT_MS} ms)`);
    process.once(signal, () => {
      console.error('notes: second signal, exiting at once');
      process.exit(1);
    });
    starting
      .then((service) => service.close({ timeoutMs: SHUTDOWN_TIMEOUT_MS }))
      .then(
        () => {
          console.log('notes: closed');
          process.exit(0);
        },
        (error: unknown) => {
          console.error('notes: closing failed:', error);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
