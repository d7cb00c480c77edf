import type { Trace, TraceEvent } from '@parley/core/transport';
import type { MqttClient, Packet } from 'mqtt';
import { utf8Bytes, utf8Length } from './bytes.js';

/**
 * Sends the packets of an MQTT.js client to a trace: their type, topic, QoS, packet id,
 * properties and payload size (`packetsend` and `packetreceive`).
 */
export function tracePackets(
  client: MqttClient,
  trace: Trace,
  side: TraceEvent['side'],
  connection: string,
): void {
  const emit = (direction: 'send' | 'receive') => (packet: Packet) => {
    const payload = (packet as { payload?: Uint8Array | string | null }).payload;
    const bytes =
      payload == null ? undefined : typeof payload === 'string' ? utf8Length(payload) : payload.byteLength;
    trace({
      protocol: 'mqtt',
      side,
      direction,
      summary: summarize(packet, bytes),
      bytes: (packet as { length?: number }).length,
      payload: typeof payload === 'string' ? utf8Bytes(payload) : (payload ?? undefined),
      connection,
    });
  };
  client.on('packetsend', emit('send'));
  client.on('packetreceive', emit('receive'));
}

/** One line for a packet: `PUBLISH topic=a/b qos=1 id=3 payload=12B properties={...}`. */
export function summarize(packet: Packet, payloadBytes: number | undefined): string {
  const fields = packet as unknown as Record<string, unknown>;
  const parts = [packet.cmd.toUpperCase()];
  if (typeof fields.topic === 'string') parts.push(`topic=${fields.topic}`);
  if (Array.isArray(fields.subscriptions)) {
    const topics = fields.subscriptions.map((s: { topic: string; qos: number }) => `${s.topic}@${s.qos}`);
    parts.push(`topics=${topics.join(',')}`);
  }
  if (Array.isArray(fields.unsubscriptions)) parts.push(`topics=${fields.unsubscriptions.join(',')}`);
  if (typeof fields.qos === 'number' && packet.cmd === 'publish') parts.push(`qos=${fields.qos}`);
  if (typeof fields.messageId === 'number') parts.push(`id=${fields.messageId}`);
  if (typeof fields.clientId === 'string') parts.push(`client=${fields.clientId}`);
  if (packet.cmd === 'connect') {
    if (typeof fields.protocolVersion === 'number') parts.push(`version=${fields.protocolVersion}`);
    if (typeof fields.keepalive === 'number') parts.push(`keepalive=${fields.keepalive}s`);
    if (typeof fields.username === 'string') parts.push(`user=${fields.username}`);
    // The password is never traced, only that one was sent.
    if (fields.password !== undefined) parts.push('password=****');
  }
  if (typeof fields.returnCode === 'number') parts.push(`code=${fields.returnCode}`);
  if (typeof fields.reasonCode === 'number') parts.push(`reason=${fields.reasonCode}`);
  if (payloadBytes !== undefined) parts.push(`payload=${payloadBytes}B`);
  const properties = fields.properties as Record<string, unknown> | undefined;
  if (properties !== undefined && Object.keys(properties).length > 0)
    parts.push(`properties=${describe(properties)}`);
  return parts.join(' ');
}

function describe(properties: Record<string, unknown>): string {
  const shown: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties)) {
    shown[name] = value instanceof Uint8Array ? `<${value.byteLength}B>` : value;
  }
  return JSON.stringify(shown);
}
