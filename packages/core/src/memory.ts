import type { Credentials, Principal } from './auth.js';
import { Body, type BodyInit } from './body.js';
import { ParleyError } from './error.js';
import { eventQueue, type ParleyEvent } from './event.js';
import { HeaderMap, type HeadersInit } from './headers.js';
import { credentialsOf } from './kit/url-parts.js';
import { METHODS } from './method.js';
import { compilePattern } from './path.js';
import { platform } from './platform.js';
import type { AsyncQueue } from './queue.js';
import { createRequest, type Request } from './request.js';
import { type Response, respond } from './response.js';
import { STATUSES } from './status.js';
import type { Connector, ListenContext, Listener, Transport, TransportContract } from './transport.js';

/** The contract of the in-memory transport: everything, as is. */
export const MEMORY_CONTRACT: TransportContract = {
  protocol: 'memory',
  methods: METHODS,
  statuses: STATUSES.filter((status) => status !== 'unsupported'),
  reply: 'body',
  requestHeaders: true,
  responseHeaders: true,
  streaming: true,
  events: true,
  auth: ['password'],
  tls: [],
  limits: {},
};

interface Subscription {
  readonly match: (path: string) => boolean;
  readonly queue: AsyncQueue<ParleyEvent>;
}

interface Endpoint {
  context: ListenContext | undefined;
  /** Aborts when the listener closes, cutting off whatever is still in flight. */
  cutOff: AbortController;
  readonly subscriptions: Set<Subscription>;
}

const endpoints = new Map<string, Endpoint>();

function endpoint(name: string): Endpoint {
  let found = endpoints.get(name);
  if (found === undefined) {
    found = { context: undefined, cutOff: cutOffController(), subscriptions: new Set() };
    endpoints.set(name, found);
  }
  return found;
}

/**
 * An in-process transport: a server listening on `memory://name` answers clients made with the
 * same name, without sockets. For tests and for composing services in one process.
 * Credentials ride in the URL (`memory://alice:secret@name`).
 *
 * @param url - `memory://<name>`, with credentials for a client that logs in
 * @returns The transport.
 *
 * @example
 * ```ts
 * const server = createServer(router);
 * await server.listen(memory('memory://notes'));
 * const client = createClient(memory('memory://notes'));
 * const res = await client.get('/notes/a.txt');
 * ```
 */
export function memory(url = 'memory://default'): Transport {
  const parsed = new URL(url);
  const name = parsed.host || parsed.pathname;
  const credentials = credentialsOf(parsed);
  const cleanUrl = `memory://${name}`;
  return {
    contract: MEMORY_CONTRACT,
    url: cleanUrl,
    connect: () => connectMemory(name, credentials),
    listen: async (context) => listenMemory(name, cleanUrl, context),
  };
}

function connectMemory(name: string, credentials: Credentials | undefined): Connector {
  return {
    async send(request) {
      const target = endpoints.get(name);
      const context = target?.context;
      if (target === undefined || context === undefined) {
        throw new ParleyError('unavailable', `Nothing listens on memory://${name}`);
      }
      let principal: Principal | undefined;
      if (context.authenticate !== undefined) {
        const outcome = await authenticateMemory(context, credentials);
        if ('refused' in outcome) return outcome.refused;
        principal = outcome.principal;
      }
      const served = await serveUntilCutOff(
        (signal) => context.handle(isolate(request, principal, signal)),
        request.signal,
        target.cutOff.signal,
      );
      return respond(served.status, served.body, new HeaderMap(served.headers));
    },
    events: {
      async publish(path, body, headers) {
        deliver(endpoint(name), path, body, headers);
      },
      subscribe(pattern, signal, limits) {
        const subscriptions = endpoint(name).subscriptions;
        const compiled = compilePattern(pattern);
        const subscription: Subscription = {
          match: (path) => compiled.match(path) !== undefined,
          queue: eventQueue({ ...limits, signal, onEnd: () => subscriptions.delete(subscription) }),
        };
        subscriptions.add(subscription);
        return subscription.queue;
      },
    },
    async close() {},
  };
}

/** The principal the credentials prove, or the response refusing them (a throttled address included). */
async function authenticateMemory(
  context: ListenContext,
  credentials: Credentials | undefined,
): Promise<{ principal: Principal } | { refused: Response }> {
  const refused = { refused: respond('unauthenticated', 'Credentials required or refused') };
  if (credentials === undefined || context.authenticate === undefined) return refused;
  try {
    const principal = await context.authenticate(credentials, { protocol: 'memory', address: 'memory' });
    return principal === null ? refused : { principal };
  } catch (thrown) {
    const error = ParleyError.from(thrown);
    return { refused: respond(error.status, error.message) };
  }
}

/** A server-side copy of a client's request: fresh headers, its own peer, the same streaming body. */
function isolate(request: Request, principal: Principal | undefined, signal: AbortSignal): Request {
  return createRequest({
    method: request.method,
    path: request.path,
    // Given apart, as over HTTP: the query goes along, and a `?` of the path stays in it.
    query: request.query.toString(),
    headers: new HeaderMap(request.headers),
    body: request.body,
    signal,
    deadline: request.deadline,
    peer: { protocol: 'memory', address: 'memory', principal },
  });
}

function listenMemory(name: string, url: string, context: ListenContext): Listener {
  const target = endpoint(name);
  if (target.context !== undefined) throw new ParleyError('conflict', `${url} is already in use`);
  target.context = context;
  target.cutOff = cutOffController();
  const stop = async (): Promise<void> => {
    if (target.context === context) target.context = undefined;
  };
  return {
    url,
    stopAccepting: stop,
    async close() {
      await stop();
      target.cutOff.abort();
    },
    events: {
      async publish(path, body, headers) {
        deliver(target, path, body, headers);
      },
    },
  };
}

/** The controller that cuts off an endpoint's requests; each one in flight listens to it. */
function cutOffController(): AbortController {
  const controller = new AbortController();
  platform.unlimitListeners(controller.signal);
  return controller;
}

/**
 * Runs a handler with a signal that aborts when the caller aborts or the listener closes; the
 * call fails with `unavailable` as soon as the listener closes. Both listeners are removed once
 * the handler settles, so nothing piles up on a long-lived listener's signal.
 */
function serveUntilCutOff(
  serve: (signal: AbortSignal) => Promise<Response>,
  caller: AbortSignal,
  cutOff: AbortSignal,
): Promise<Response> {
  const controller = new AbortController();
  return new Promise((resolve, reject) => {
    const onCaller = (): void => controller.abort(caller.reason);
    const onCutOff = (): void => {
      controller.abort(new ParleyError('unavailable', 'The server closed before answering'));
      reject(controller.signal.reason);
    };
    if (cutOff.aborted) return onCutOff();
    if (caller.aborted) onCaller();
    else caller.addEventListener('abort', onCaller, { once: true });
    cutOff.addEventListener('abort', onCutOff, { once: true });
    serve(controller.signal)
      .then(resolve, reject)
      .finally(() => {
        caller.removeEventListener('abort', onCaller);
        cutOff.removeEventListener('abort', onCutOff);
      });
  });
}

function deliver(target: Endpoint, path: string, body: BodyInit, headers: HeadersInit | undefined): void {
  const bytes = typeof body === 'string' ? platform.encodeText(body) : body;
  if (!(bytes instanceof Uint8Array) && bytes != null) {
    throw new ParleyError('bad_request', 'An event body must be a string or bytes');
  }
  for (const subscription of target.subscriptions) {
    if (!subscription.match(path)) continue;
    subscription.queue.push({ path, headers: new HeaderMap(headers), body: Body.from(bytes) });
  }
}
