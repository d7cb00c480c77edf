import { isStatus, type Status } from '@parley/core';
import type { StatusMap } from '@parley/core/transport';

/**
 * How each Parley status travels over MQTT.
 *
 * A reply carries its status exactly as the `status` user property (MQTT 5) or envelope field
 * (3.1.1), so every status round-trips. Beside it, an MQTT 5 reply also carries the nearest MQTT 5
 * reason code as the `reason-code` user property, for MQTT clients that know reason codes but
 * not Parley:
 *
 * | status | reason code | MQTT 5 name |
 * |---|---|---|
 * | ok, created, accepted, no_content | 0x00 | Success |
 * | bad_request | 0x99 | Payload format invalid |
 * | unauthenticated | 0x86 | Bad User Name or Password |
 * | forbidden | 0x87 | Not authorized |
 * | not_found | 0x90 | Topic Name invalid |
 * | method_not_allowed, conflict, precondition_failed, not_implemented | 0x83 | Implementation specific error |
 * | timeout, cancelled, internal | 0x80 | Unspecified error |
 * | too_large | 0x95 | Packet too large |
 * | too_many_requests | 0x96 | Message rate too high |
 * | insufficient_storage | 0x97 | Quota exceeded |
 * | unavailable | 0x88 | Server unavailable |
 * | unsupported | (never sent) | |
 */
export const STATUS_TO_REASON_CODE: Readonly<Record<Status, number>> = {
  ok: 0x00,
  created: 0x00,
  accepted: 0x00,
  no_content: 0x00,
  bad_request: 0x99,
  unauthenticated: 0x86,
  forbidden: 0x87,
  not_found: 0x90,
  method_not_allowed: 0x83,
  timeout: 0x80,
  conflict: 0x83,
  precondition_failed: 0x83,
  too_large: 0x95,
  too_many_requests: 0x96,
  insufficient_storage: 0x97,
  cancelled: 0x80,
  internal: 0x80,
  not_implemented: 0x83,
  unavailable: 0x88,
  unsupported: 0x83,
};

/**
 * The status of an MQTT reason code: used for a reply that carries a `reason-code` but no
 * `status` property, and for reason codes the broker answers with (CONNACK, SUBACK, PUBACK).
 * Codes not listed are `internal`.
 *
 * | reason code | MQTT 5 name | status |
 * |---|---|---|
 * | 0x00 | Success | ok |
 * | 0x04, 0x86, 0x8C | Bad user name or password, Bad authentication method | unauthenticated |
 * | 0x05, 0x87, 0x8A | Not authorized, Banned | forbidden |
 * | 0x81, 0x82, 0x8F, 0x99 | Malformed Packet, Protocol Error, Topic Filter invalid, Payload format invalid | bad_request |
 * | 0x90 | Topic Name invalid | not_found |
 * | 0x83, 0x9E, 0xA2 | Implementation specific error, Shared/Wildcard Subscriptions not supported | not_implemented |
 * | 0x80 | Unspecified error | internal |
 * | 0x95 | Packet too large | too_large |
 * | 0x93, 0x96, 0x97, 0x9F | Receive Maximum exceeded, Message rate too high, Quota exceeded, Connection rate exceeded | too_many_requests |
 * | 0x03, 0x10, 0x88, 0x89, 0x8B, 0x9C, 0x9D | Server unavailable, No matching subscribers, Server busy, Server shutting down, Use another server, Server moved | unavailable |
 */
export const REASON_CODE_TO_STATUS: ReadonlyMap<number, Status> = new Map<number, Status>([
  [0x00, 'ok'],
  [0x04, 'unauthenticated'],
  [0x86, 'unauthenticated'],
  [0x8c, 'unauthenticated'],
  [0x05, 'forbidden'],
  [0x87, 'forbidden'],
  [0x8a, 'forbidden'],
  [0x81, 'bad_request'],
  [0x82, 'bad_request'],
  [0x8f, 'bad_request'],
  [0x99, 'bad_request'],
  [0x90, 'not_found'],
  [0x83, 'not_implemented'],
  [0x9e, 'not_implemented'],
  [0xa2, 'not_implemented'],
  [0x80, 'internal'],
  [0x95, 'too_large'],
  [0x93, 'too_many_requests'],
  [0x96, 'too_many_requests'],
  [0x97, 'too_many_requests'],
  [0x9f, 'too_many_requests'],
  [0x03, 'unavailable'],
  [0x10, 'unavailable'],
  [0x88, 'unavailable'],
  [0x89, 'unavailable'],
  [0x8b, 'unavailable'],
  [0x9c, 'unavailable'],
  [0x9d, 'unavailable'],
]);

/**
 * The reason code of a status (see {@link STATUS_TO_REASON_CODE}).
 *
 * @param status - the status
 * @returns The MQTT 5 reason code.
 *
 * @example
 * ```ts
 * statusToReasonCode('not_found'); // 144 (0x90)
 * ```
 */
export function statusToReasonCode(status: Status): number {
  return STATUS_TO_REASON_CODE[status];
}

/**
 * The status of a reason code (see {@link REASON_CODE_TO_STATUS}); unknown codes are `internal`.
 *
 * @param code - the MQTT 5 reason code
 *
 * @example
 * ```ts
 * reasonCodeToStatus(0x90); // "not_found"
 * ```
 */
export function reasonCodeToStatus(code: number): Status {
  return REASON_CODE_TO_STATUS.get(code) ?? 'internal';
}

/**
 * The status of a reply: its `status` property when it names a Parley status, else its
 * `reason-code` property through {@link reasonCodeToStatus}, else `ok` (a plain MQTT responder
 * that says nothing has answered).
 *
 * @param status - the reply's `status` user property, if any
 * @param reasonCode - the reply's `reason-code` user property, if any
 *
 * @example
 * ```ts
 * replyStatus('created', '0'); // "created"
 * replyStatus(undefined, '144'); // "not_found"
 * ```
 */
export function replyStatus(status: string | undefined, reasonCode: string | undefined): Status {
  if (status !== undefined && isStatus(status) && status !== 'unsupported') return status;
  if (reasonCode !== undefined && /^\d+$/.test(reasonCode)) return reasonCodeToStatus(Number(reasonCode));
  return status === undefined ? 'ok' : 'internal';
}

/**
 * A reply's status on the wire: the `status` user property (MQTT 5) or envelope field (3.1.1),
 * and the MQTT 5 `reason-code` user property beside it (absent in the envelope).
 */
export interface MqttReplyStatus {
  /** The status by name. */
  readonly status: string | undefined;
  /** The nearest MQTT 5 reason code, in decimal. */
  readonly reasonCode: string | undefined;
}

/**
 * How statuses travel over MQTT: a reply names its status (so every status but `unsupported`
 * round-trips) beside the nearest reason code; a client reads it with {@link replyStatus}.
 */
export const MQTT_STATUS_MAP: StatusMap<MqttReplyStatus> = {
  toWire: (status) => ({ status, reasonCode: String(statusToReasonCode(status)) }),
  fromWire: (wire) => replyStatus(wire.status, wire.reasonCode),
};
