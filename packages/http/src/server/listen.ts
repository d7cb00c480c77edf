import { createServer as createHttpServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { ParleyError } from '@parley/core';
import { type ListenContext, type Listener, listenOn, publicUrl } from '@parley/core/transport';
import { HTTP_DEFAULTS, type HttpOptions } from '../options.js';
import { traceExchange } from '../trace.js';
import { admitConnections } from './admission.js';
import { answerClientErrors, answerConnectRequests } from './client-errors.js';
import { ALLOW, checkContinue, type ExchangeContext, serveExchange } from './exchange.js';
import { type UpgradeHandler, Upgrades } from './upgrade.js';

/**
 * The listener of `http()`: besides the usual, it lets another server (a WebSocket listener)
 * share its port by taking over the connections that ask to upgrade on a path.
 */
export interface HttpListener extends Listener {
  /**
   * Hands upgrade requests for `path` to `handler` from now on; returns a function that stops
   * it. Upgrades on other paths are then answered 404.
   */
  attachUpgrade(path: string, handler: UpgradeHandler): () => void;
}

/** Starts a `node:http` (or, for `https://`, `node:https`) server answering with the context's handler. */
export async function listenHttp(
  url: URL,
  options: HttpOptions,
  context: ListenContext,
): Promise<HttpListener> {
  const server = createNodeServer(url, options);
  const upgrades = new Upgrades(server);
  const ctx: ExchangeContext = {
    listen: context,
    maxBodyBytes: options.maxBodyBytes ?? HTTP_DEFAULTS.maxBodyBytes,
    linger: {
      ms: options.lingerMs ?? HTTP_DEFAULTS.lingerMs,
      bytes: options.lingerBytes ?? HTTP_DEFAULTS.lingerBytes,
    },
    server,
    closing: false,
  };
  const trace = context.trace;
  server.on('request', (req, res) => {
    if (trace !== undefined) traceExchange(trace, req, res);
    serveExchange(req, res, ctx);
  });
  server.on('checkContinue', (req, res) => {
    if (trace !== undefined) traceExchange(trace, req, res);
    checkContinue(req, res, ctx);
  });
  answerClientErrors(server);
  answerConnectRequests(server, ALLOW);
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? HTTP_DEFAULTS.keepAliveTimeoutMs;
  admitConnections(server, url.protocol === 'https:', {
    maxConnections: options.maxConnections ?? HTTP_DEFAULTS.maxConnections,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? HTTP_DEFAULTS.maxConnectionsPerAddress,
    firstRequestTimeoutMs: firstRequestTimeout(options),
  });
  const closed = new Promise<void>((resolve) => server.once('close', resolve));
  const port = await listenOn(server, url, url.protocol === 'https:' ? 443 : 80);
  const stopAccepting = async (): Promise<void> => {
    if (ctx.closing) return;
    ctx.closing = true;
    upgrades.closing = true;
    server.close();
    server.closeIdleConnections();
  };
  return {
    url: publicUrl(url, port),
    stopAccepting,
    async close(deadline) {
      await stopAccepting();
      await untilClosed(server, closed, deadline, upgrades);
    },
    attachUpgrade: (path, handler) => upgrades.attach(path, handler),
  };
}

function createNodeServer(url: URL, options: HttpOptions): Server {
  const requestTimeout = options.requestTimeoutMs ?? HTTP_DEFAULTS.requestTimeoutMs;
  const wantedHeadersTimeout = options.headersTimeoutMs ?? HTTP_DEFAULTS.headersTimeoutMs;
  const headersTimeout =
    requestTimeout > 0 ? Math.min(wantedHeadersTimeout, requestTimeout) : wantedHeadersTimeout;
  const shortest = requestTimeout > 0 ? Math.min(headersTimeout, requestTimeout) : headersTimeout;
  const settings: ServerOptions = {
    headersTimeout,
    requestTimeout,
    maxHeaderSize: options.maxHeaderBytes ?? HTTP_DEFAULTS.maxHeaderBytes,
    // Timeouts are enforced when connections are checked; check often enough to be precise.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(shortest / 4))),
    keepAlive: true,
  };
  if (url.protocol === 'http:') return answeringHalfClosed(createHttpServer(settings));
  if (url.protocol !== 'https:')
    throw new ParleyError('bad_request', `http() cannot listen on ${url.protocol} URLs`);
  const tls = options.tls;
  if (tls?.key === undefined || tls.cert === undefined) {
    throw new ParleyError('bad_request', 'Listening on https:// needs the tls.key and tls.cert options');
  }
  const handshakeTimeout = firstRequestTimeout(options);
  return answeringHalfClosed(
    createHttpsServer({ ...tls, ...settings, ...(handshakeTimeout > 0 ? { handshakeTimeout } : {}) }),
  );
}

/**
 * Answers the requests a client sent before closing its side of the connection (`shutdown`,
 * `printf ... | nc -N`, some HTTP/1.0 clients), then closes: by default `node:http` aborts every
 * request still unanswered when the client's FIN arrives, so a handler that answers later (any
 * that reads a file) never got its answer out.
 */
function answeringHalfClosed(server: Server): Server {
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  return server;
}

function firstRequestTimeout(options: HttpOptions): number {
  return options.firstRequestTimeoutMs ?? HTTP_DEFAULTS.firstRequestTimeoutMs;
}

/** Waits for every connection to end; once the deadline aborts, cuts off whatever is left. */
async function untilClosed(
  server: Server,
  closed: Promise<void>,
  deadline: AbortSignal,
  upgrades: Upgrades,
): Promise<void> {
  const cutOff = (): void => {
    server.closeAllConnections();
    upgrades.cutOff();
  };
  if (deadline.aborted) cutOff();
  else deadline.addEventListener('abort', cutOff, { once: true });
  try {
    await closed;
  } finally {
    deadline.removeEventListener('abort', cutOff);
  }
}
