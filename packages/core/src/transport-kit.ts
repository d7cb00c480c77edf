/**
 * The kit for transport authors: what every Parley transport needs besides the contract, kept
 * once here so that each transport stays a thin adapter. Applications do not need it.
 *
 * @packageDocumentation
 * @module @parley/core/transport
 */
export { addressKey } from './address-key.js';
export {
  AUTH_THROTTLE_DEFAULTS,
  AuthThrottle,
  type AuthThrottleOptions,
  throttledError,
} from './auth-throttle.js';
export { ConnectionGate, type ConnectionGateOptions, type GateRefusal } from './connection-gate.js';
export { type AbortListener, Deadline, type ExplainFailure, watchAbort } from './deadline.js';
export { abortError } from './error.js';
export { type EventQueueLimits, eventQueue, MAX_QUEUED_EVENT_BYTES, MAX_QUEUED_EVENTS } from './event.js';
export { formatBasicAuth, parseAuthorization } from './kit/basic-auth.js';
export { capturedResolvers, captureResolvers } from './kit/captured-resolvers.js';
export { DrainTracker } from './kit/drain.js';
export { sameFieldName } from './kit/field-name.js';
export { type Bindable, listenOn } from './kit/listen-on.js';
export { refuseQuery } from './kit/no-query.js';
export { checkNumber, checkNumbers, type OptionKind } from './kit/option-check.js';
export { serveRequest } from './kit/serve-request.js';
export { roundTripStatuses, type StatusMap } from './kit/status-map.js';
export { MAX_TIMER_MS, timerDelay } from './kit/timer-delay.js';
export { credentialsOf, hostOf, portOf } from './kit/url-parts.js';
export { type BatchSchedule, type Corkable, WriteBatch } from './kit/write-batch.js';
export { allowedHostSet, knownHost } from './known-hosts.js';
export { AsyncQueue, type AsyncQueueOptions } from './queue.js';
export { ReceivingBudget } from './receiving-budget.js';
export { receivedRequest, type SignalSource } from './request.js';
export { maskSecrets, type Trace, type TraceDirection, type TraceEvent } from './trace.js';
export type * from './transport.js';
export { originOnly, parseTransportUrl, publicUrl } from './url.js';
