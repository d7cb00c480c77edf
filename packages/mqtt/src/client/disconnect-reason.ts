import type { IDisconnectPacket } from 'mqtt';

/** The most characters of a broker's reason string an error message carries. */
const MAX_REASON_CHARS = 200;

/**
 * What a broker said when it ended the connection with DISCONNECT (MQTT 5): its reason code and,
 * when it sent one, its reason string (cut to {@link MAX_REASON_CHARS} characters), for the
 * error of every call and publish left waiting on that connection.
 *
 * @param packet - the broker's DISCONNECT
 * @returns The sentence the waiting calls fail with.
 *
 * @example
 * ```ts
 * disconnectReason({ cmd: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'maintenance' } });
 * // "The MQTT broker ended the connection (DISCONNECT, reason 0x8b: maintenance)"
 * ```
 */
export function disconnectReason(packet: IDisconnectPacket): string {
  const code = `0x${(packet.reasonCode ?? 0).toString(16).padStart(2, '0')}`;
  const text = packet.properties?.reasonString;
  const said =
    text === undefined || text === ''
      ? ''
      : `: ${text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}...` : text}`;
  return `The MQTT broker ended the connection (DISCONNECT, reason ${code}${said})`;
}
