/**
 * Parley's contract in browsers: the same requests, responses, bodies, client, router, errors
 * and in-memory transport as `@parley/core` in Node.js, on web platform APIs only. Missing:
 * `passwordTable` (a server-side hook on node:crypto), `FileLock` and its helpers (locks on
 * files shared by processes), and `Body.stream()` (Node.js streams;
 * it throws `unsupported`, iterate bodies with `for await`).
 *
 * @packageDocumentation
 * @module @parley/core/browser
 */
export type {
  Authenticate,
  Credentials,
  PasswordCredentials,
  Peer,
  Principal,
  TokenCredentials,
} from './auth.js';
export { AUTH_THROTTLE_DEFAULTS, AuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';
export { Body, type BodyInit, type ReadOptions } from './body.js';
export { type ByteRange, contentRange, parseByteRange, requestedRange, sliceBody } from './byte-range.js';
export {
  type CallOptions,
  Client,
  type CreateClientOptions,
  createClient,
  type RequestOptions,
  type SubscribeOptions,
} from './client.js';
export { type RefuseCrossSiteOptions, refuseCrossSite } from './cross-site.js';
export { Deadline } from './deadline.js';
export { abortError, ParleyError, type ParleyErrorOptions } from './error.js';
export type { EventQueueLimits, ParleyEvent } from './event.js';
export { compose, type Handler, type Middleware } from './handler.js';
export { HeaderMap, type HeadersInit } from './headers.js';
export { KeyedLock } from './keyed-lock.js';
export { type RefuseUnknownHostsOptions, refuseUnknownHosts } from './known-hosts.js';
export {
  type ChunkFiller,
  type FillingSource,
  fillChunks,
  type LendingSource,
  type LentChunkConsumer,
  lendChunks,
} from './lend.js';
export {
  type Entry,
  LEFT_OUT_FIELD,
  leftOutOf,
  type ReadListingOptions,
  readListing,
  respondListing,
} from './listing.js';
export { type LogRequestsOptions, logRequests } from './log.js';
export { loginProblem } from './login-problem.js';
export { MEMORY_CONTRACT, memory } from './memory.js';
export { isIdempotent, isMethod, METHODS, type Method } from './method.js';
export { DESTINATION_HEADER, moveDestination, moveOverwrites, OVERWRITE_HEADER } from './move.js';
export {
  compilePattern,
  hasSpoofingCharacters,
  joinPath,
  normalizePath,
  type PathPattern,
  pathSegments,
} from './path.js';
export { type CurrentVersion, failedPrecondition, failedReadPrecondition } from './preconditions.js';
export { AsyncQueue, type AsyncQueueOptions } from './queue.js';
export { type CreateRequestOptions, createRequest, type Request, withRequest } from './request.js';
export { isOk, type Response, respond, respondError, respondJson } from './response.js';
export type { ParamNames, RoutedRequest, RouteHandler, RouteParams } from './route-params.js';
export { createRouter, Router } from './router.js';
export {
  type CloseOptions,
  type CreateServerOptions,
  createServer,
  type Routable,
  Server,
  type ServerState,
  type Service,
} from './server.js';
export { isStatus, isSuccess, STATUS_TEXT, STATUSES, type Status } from './status.js';
export {
  formatTraceEvent,
  maskSecrets,
  type Trace,
  type TraceDirection,
  type TraceEvent,
} from './trace.js';
export type * from './transport.js';
export { publicUrl } from './url.js';
