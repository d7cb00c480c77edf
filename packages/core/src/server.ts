import type { Authenticate } from './auth.js';
import { AuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';
import type { BodyInit } from './body.js';
import { ParleyError } from './error.js';
import { compose, type Handler, type Middleware } from './handler.js';
import type { HeadersInit } from './headers.js';
import { DrainTracker } from './kit/drain.js';
import type { Method } from './method.js';
import { printable } from './printable.js';
import type { Request } from './request.js';
import { type Response, respond, responseProblem } from './response.js';
import type { Trace } from './trace.js';
import type { ListenContext, Listener, ResponseSink, RouteCheck, Transport } from './transport.js';

/** A handler, or anything with a `handle` handler (a {@link Router}) that may also check routes. */
export type Service = Handler | Routable;

/** A service object, such as a {@link Router}: its handler, and optionally a route check. */
export interface Routable {
  /** Answers requests. */
  readonly handle: Handler;
  /** Whether a method and path would reach a route (see {@link ListenContext.allows}). */
  allows?(method: Method, path: string): RouteCheck;
}

/** Options of {@link createServer}. */
export interface CreateServerOptions {
  /** Middleware around the service, the first outermost. Default: none. */
  middleware?: readonly Middleware[] | undefined;
  /** Authenticates every request on every transport; without it, requests are anonymous. */
  authenticate?: Authenticate | undefined;
  /**
   * Slows credential guessing down per remote address, across every transport (see
   * {@link AuthThrottle}). `false` turns it off. Default: {@link AUTH_THROTTLE_DEFAULTS}.
   */
  authThrottle?: AuthThrottleOptions | false | undefined;
  /**
   * Called with each error a handler throws (answered as statuses; `request` is the request),
   * and with each failure a transport could not answer on the wire (`request` is `undefined`,
   * `context` says what the transport was doing). Default: `console.error` for `internal`
   * handler errors and for every transport failure.
   */
  onError?: (error: ParleyError, request: Request | undefined, context?: string) => void;
  /** Receives the wire events of every listener's connections (see `formatTraceEvent`). Default: none. */
  trace?: Trace | undefined;
}

/** Options of {@link Server.close}. */
export interface CloseOptions {
  /** How long requests in flight may take to finish before they are cut off, in ms. Default: 10 000. */
  timeoutMs?: number | undefined;
}

/** The lifecycle of a server: `ready` is true only while `listening`. */
export type ServerState = 'idle' | 'listening' | 'closing' | 'closed';

/**
 * One service served over many transports at once.
 *
 * @example
 * ```ts
 * const server = createServer(router, { middleware: [logRequests()] });
 * await server.listen(http('http://127.0.0.1:8080'));
 * process.once('SIGTERM', () => server.close({ timeoutMs: 10_000 }));
 * ```
 */
export class Server implements AsyncDisposable {
  readonly #dispatch: Handler;
  readonly #serve: (request: Request, sink: ResponseSink) => void;
  readonly #allows: (method: Method, path: string) => RouteCheck;
  readonly #authenticate: Authenticate | undefined;
  readonly #trace: Trace | undefined;
  readonly #onError: (error: ParleyError, context: string) => void;
  readonly #listeners: Listener[] = [];
  /** Listens under way: a close waits for them (and closes what they start). */
  readonly #starting = new Set<Promise<unknown>>();
  readonly #inFlight = new DrainTracker();
  #state: ServerState = 'idle';
  #closing: Promise<void> | undefined;

  /**
   * Makes a server; {@link createServer} is the same.
   *
   * @param service - a handler, or a routable object such as a Router
   * @param options - middleware, the authenticate hook and the other server options
   */
  constructor(service: Service, options: CreateServerOptions = {}) {
    const handle = typeof service === 'function' ? service : service.handle;
    const allows = typeof service === 'function' ? undefined : service.allows?.bind(service);
    this.#allows = allows ?? (() => 'ok');
    this.#authenticate = throttled(options.authenticate, options.authThrottle);
    this.#trace = options.trace;
    const onError = options.onError ?? logErrors;
    this.#onError = (error, context) => onError(error, undefined, context);
    const answer = compose(handle, options.middleware);
    const inFlight = this.#inFlight;
    const fail = (thrown: unknown, request: Request): Response => {
      const error = ParleyError.from(thrown);
      try {
        onError(error, request);
      } catch {
        // A failing error hook must not leave the request unanswered.
      }
      return respond(error.status, error.status === 'internal' ? 'Internal error' : error.message);
    };
    /** The handler's response, or `internal` when what it resolved with is none (see responseProblem). */
    const checked = (response: Response, request: Request): Response => {
      const problem = responseProblem(response);
      return problem === undefined ? response : fail(new ParleyError('internal', problem), request);
    };
    const countedOut = (response: Response, request: Request): Response => {
      inFlight.countOut();
      return checked(response, request);
    };
    // One promise per request: the handler's own, followed once to count it out of flight.
    this.#dispatch = (request) => {
      inFlight.countIn();
      return started(answer, request).then(
        (response) => countedOut(response, request),
        (thrown: unknown) => {
          inFlight.countOut();
          return fail(thrown, request);
        },
      );
    };
    // The same, handing the response on from that one reaction (see ListenContext.serve).
    this.#serve = (request, sink) => {
      inFlight.countIn();
      started(answer, request).then(
        (response) => {
          inFlight.countOut();
          deliver(sink, checked(response, request), this.#onError);
        },
        (thrown: unknown) => {
          inFlight.countOut();
          deliver(sink, fail(thrown, request), this.#onError);
        },
      );
    };
  }

  /** Where the server is in its lifecycle. */
  get state(): ServerState {
    return this.#state;
  }

  /** Readiness: true while listening and not closing. */
  get ready(): boolean {
    return this.#state === 'listening';
  }

  /** The number of requests being handled now. */
  get inFlight(): number {
    return this.#inFlight.inFlight;
  }

  /** The transports listening, with their real URLs. */
  get listeners(): readonly Listener[] {
    return this.#listeners;
  }

  /**
   * Starts serving over one more transport. Resolves once it accepts connections; rejects with
   * `unavailable` when the server is closed before that (the listener is then closed).
   */
  async listen(transport: Transport): Promise<Listener> {
    if (this.#state === 'closing' || this.#state === 'closed') {
      throw new ParleyError('unavailable', 'The server is closed');
    }
    const starting = this.#start(transport);
    this.#starting.add(starting);
    try {
      return await starting;
    } finally {
      this.#starting.delete(starting);
    }
  }

  async #start(transport: Transport): Promise<Listener> {
    const listener = await transport.listen({
      handle: this.#dispatch,
      serve: this.#serve,
      authenticate: this.#authenticate,
      allows: this.#allows,
      trace: this.#trace,
      onError: this.#onError,
    });
    if (this.#closing !== undefined) {
      await listener.stopAccepting();
      await listener.close(AbortSignal.abort());
      throw new ParleyError('unavailable', 'The server was closed while it started listening', {
        retryable: false,
      });
    }
    this.#listeners.push(listener);
    this.#state = 'listening';
    return listener;
  }

  /** Publishes an event on every transport that carries events. */
  async publish(path: string, body: BodyInit, headers?: HeadersInit): Promise<void> {
    const bytes = typeof body === 'string' || body instanceof Uint8Array || body == null ? body : undefined;
    if (bytes === undefined) throw new ParleyError('bad_request', 'An event body must be a string or bytes');
    await Promise.all(this.#listeners.map((listener) => listener.events?.publish(path, bytes, headers)));
  }

  /**
   * Shuts down gracefully: stops accepting on every transport, lets requests in flight finish
   * (up to `timeoutMs`), then closes every connection. Calling it again returns the same promise.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.#closing ??= this.#shutDown(options.timeoutMs ?? 10_000);
    return this.#closing;
  }

  /** Closes the server with the default timeout (`await using server = createServer(...)`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutDown(timeoutMs: number): Promise<void> {
    this.#state = 'closing';
    const deadline = AbortSignal.timeout(timeoutMs);
    await Promise.allSettled(this.#starting);
    await Promise.all(this.#listeners.map((listener) => listener.stopAccepting()));
    await this.#inFlight.drained(deadline);
    await Promise.all(this.#listeners.map((listener) => listener.close(deadline)));
    this.#state = 'closed';
  }
}

/**
 * Creates a {@link Server} for a service (a handler or a router).
 *
 * @param service - a handler, or a routable object such as a Router
 * @param options - middleware, the authenticate hook and the other server options
 * @returns A server that listens on nothing yet.
 *
 * @example
 * ```ts
 * const server = createServer(router, { authenticate: passwordTable({ demo: 'demo' }) });
 * await server.listen(http('http://127.0.0.1:8080'));
 * await server.listen(ftp('ftp://127.0.0.1:2121'));
 * ```
 */
export function createServer(service: Service, options?: CreateServerOptions): Server {
  return new Server(service, options);
}

/** The handler's promise for a request; a handler that throws instead of rejecting gives a rejected one. */
function started(handler: Handler, request: Request): Promise<Response> {
  try {
    return Promise.resolve(handler(request));
  } catch (thrown) {
    return Promise.reject(thrown);
  }
}

/** Hands a response to a sink; what the sink throws goes to the error hook rather than unhandled. */
function deliver(
  sink: ResponseSink,
  response: Response,
  onError: (error: ParleyError, context: string) => void,
): void {
  try {
    sink.respond(response);
  } catch (thrown) {
    onError(ParleyError.from(thrown), 'answering a request');
  }
}

function throttled(
  authenticate: Authenticate | undefined,
  options: AuthThrottleOptions | false | undefined,
): Authenticate | undefined {
  if (authenticate === undefined || options === false) return authenticate;
  return new AuthThrottle(options).wrap(authenticate);
}

/**
 * The default `onError`: a fault of the server (`internal`, `unsupported`) with its stack; a failure outside any
 * request that is a peer's doing (a malformed message refused `bad_request`, a peer gone) as one
 * line, its text made printable, so that a peer sending many cannot flood the log with stacks or
 * write control characters to the terminal. A request's own refusals are its response alone.
 */
function logErrors(error: ParleyError, request: Request | undefined, context?: string): void {
  if (request === undefined) {
    const where = printable(context ?? 'a transport');
    if (error.status === 'internal' || error.status === 'unsupported')
      console.error(`Parley: ${where} failed:`, error.cause ?? error);
    else console.error(`Parley: ${where}: ${error.status}: ${printable(error.message)}`);
  } else if (error.status === 'internal')
    console.error(`${request.method} ${request.path} failed:`, error.cause ?? error);
}
