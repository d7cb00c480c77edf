import type { Writable } from 'node:stream';
import {
  createServer,
  formatTraceEvent,
  logRequests,
  passwordTable,
  refuseCrossSite,
  refuseUnknownHosts,
} from '@parley/core';
import { EXIT } from '../exit.js';
import { visible } from '../visible.js';
import { folderService } from './folder.js';
import { listenAll } from './listeners.js';
import { parseServeOptions } from './options.js';
import { removeDeadUploads } from './safe-fs.js';

/** The help of `parley serve`. */
export const SERVE_USAGE = `Usage: parley serve [DIR] [options]

Serves DIR (default: the current folder) over HTTP, FTP, SMTP and MQTT (an embedded broker,
TCP and WebSocket) at once. Paths under DIR are URL paths: http://127.0.0.1:8080/a.txt,
ftp://127.0.0.1:2121/a.txt, mqtt://127.0.0.1:1883/files/a.txt. Folders are listed (an HTML
page for browsers, Parley's JSON listing for Parley clients). Read-only, anonymous reads, by
default. Symbolic links are never followed; uploads are written whole or not at all.

Options:
  --write                     allow uploads (PUT), appends (POST, SMTP mail), renames
                              (MOVE, FTP RNFR/RNTO) and deletes;
                              every protocol then requires the login
  -u, --user <name>           the login's user name (or PARLEY_USER)
      --password <secret>     the login's password (or PARLEY_PASSWORD)
      --host <address>        listen address (or PARLEY_HOST; default 127.0.0.1)
      --allow-host <name>     a host name HTTP and WebSocket requests may name besides
                              localhost and IP addresses (repeatable); others get 403
      --http-port <port>      (or PARLEY_HTTP_PORT; default 8080)
      --ftp-port <port>       (or PARLEY_FTP_PORT; default 2121)
      --smtp-port <port>      (or PARLEY_SMTP_PORT; default 2525)
      --mqtt-port <port>      (or PARLEY_MQTT_PORT; default 1883)
      --mqtt-ws-port <port>   (or PARLEY_MQTT_WS_PORT; default 8083)
                              0 picks a free port; 'off' turns the protocol off
      --prefix <prefix>       the MQTT service prefix (default files)
      --max-body-bytes <n>    largest upload, such as 64M (default: each transport's own)
  -s, --silent                no request log
  -v, --verbose               the wire dialogue on stderr

Ctrl-C or SIGTERM closes gracefully: requests in flight finish (up to 10 s).`;

/** `parley serve [DIR]`: serves a folder until `stop` aborts; resolves with the exit code. */
export async function runServe(
  argv: readonly string[],
  streams: { stdout: Writable; stderr: Writable },
  stop: AbortSignal,
): Promise<number> {
  const options = parseServeOptions(argv);
  if (options.help) {
    streams.stdout.write(`${SERVE_USAGE}\n`);
    return EXIT.ok;
  }
  const { login } = options;
  const trace = options.verbose
    ? (event: Parameters<typeof formatTraceEvent>[0]) =>
        // A client's words, made safe to print on the terminal.
        void streams.stderr.write(`${visible(formatTraceEvent(event))}\n`)
    : undefined;
  const server = createServer(folderService(options.root, { write: options.write }), {
    // A browser sends its saved login with another site's form posts: those are refused.
    // A page whose name is made to resolve to this address reads it through the browser: a
    // request naming an unknown host is refused (DNS rebinding).
    middleware: [
      ...(options.quiet ? [] : [logRequests({ write: (line) => void streams.stdout.write(`${line}\n`) })]),
      refuseUnknownHosts({ allowedHosts: options.allowedHosts, hint: '--allow-host NAME serves it' }),
      refuseCrossSite(),
    ],
    ...(login === undefined ? {} : { authenticate: passwordTable({ [login.user]: login.password }) }),
    ...(trace === undefined ? {} : { trace }),
  });
  // What a killed `parley serve` left (uploads cut short, locks); not a live one's uploads.
  // Best effort: a folder that cannot be read through is still served.
  if (options.write) {
    await removeDeadUploads(options.root).catch((error: unknown) => {
      streams.stderr.write(`parley: cannot clean up ${visible(options.root)}: ${(error as Error).message}\n`);
    });
  }
  let started: Awaited<ReturnType<typeof listenAll>> | undefined;
  try {
    started = await listenAll(server, options, trace);
  } catch (error) {
    await server.close({ timeoutMs: 1_000 });
    streams.stderr.write(`parley: cannot serve: ${(error as Error).message}\n`);
    return EXIT.cannotConnect;
  }
  const mode = options.write ? `read-write, login ${login?.user}` : 'read-only, anonymous';
  streams.stdout.write(`Serving ${options.root} (${mode})\n`);
  for (const { name, url } of started.served) streams.stdout.write(`  ${name.padEnd(8)} ${url}\n`);
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  streams.stdout.write('Closing...\n');
  await server.close({ timeoutMs: 10_000 });
  await started.closeBroker();
  return EXIT.ok;
}
