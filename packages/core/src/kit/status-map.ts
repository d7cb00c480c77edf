import { STATUSES, type Status } from '../status.js';

/**
 * The one shape of every transport's `status-map.ts`: the wire reply for each status, and the
 * status for each wire reply. `Wire` is the protocol's reply (an HTTP status code, an FTP or
 * SMTP reply, an MQTT reason).
 */
export interface StatusMap<Wire> {
  /** The reply a server sends for a status. */
  toWire(status: Status): Wire;
  /** The status a client reads from a reply. */
  fromWire(wire: Wire): Status;
}

/**
 * The statuses that survive a round trip through a status map (`fromWire(toWire(s)) === s`):
 * what a transport's contract declares in `statuses`. `unsupported` never travels.
 *
 * @param map - the transport's status map
 * @returns The statuses, for the contract.
 *
 * @example
 * ```ts
 * const statuses = roundTripStatuses({ toWire: httpStatus, fromWire: statusFromHttp });
 * ```
 */
export function roundTripStatuses<Wire>(map: StatusMap<Wire>): Status[] {
  return STATUSES.filter((status) => status !== 'unsupported' && map.fromWire(map.toWire(status)) === status);
}
