import type { Duplex } from 'node:stream';
import type { MqttClient } from 'mqtt';
import { PacketSizeScanner } from '../packet-size-scanner.js';

/** What MQTT.js calls to open each connection's stream (a private field of its client). */
type StreamBuilder = (client: MqttClient) => Duplex;

/**
 * Cuts a connection as soon as the broker starts a packet larger than `maxBytes` (the Maximum
 * Packet Size the client announced in its MQTT 5 CONNECT; MQTT 3.1.1 has no way to announce one,
 * so there any larger packet is refused the same way). MQTT.js checks an MQTT 5 limit only once
 * the whole packet is in memory, and none on 3.1.1: a broker announcing 200 MB would have them
 * gathered first.
 * Each stream the client opens (reconnections too) is watched from its first byte.
 *
 * A PUBLISH of a QoS above `maxQos` (the QoS every subscription of the client asks for, so
 * above what the broker may send) cuts the connection too: MQTT.js keeps each QoS 2 message
 * until its PUBREL, so a broker sending them without ever releasing one would fill the memory.
 *
 * @param client - the MQTT.js client, before it connects
 * @param maxBytes - the largest packet taken, its fixed header included
 * @param maxQos - the highest QoS of a PUBLISH taken
 */
export function limitIncomingPackets(client: MqttClient, maxBytes: number, maxQos: 0 | 1 | 2): void {
  const fields = client as unknown as { streamBuilder: StreamBuilder };
  const build = fields.streamBuilder;
  fields.streamBuilder = (owner) => {
    const stream = build(owner);
    const scanner = new PacketSizeScanner(maxBytes, (typeByte) => publishQos(typeByte) <= maxQos);
    stream.on('data', (chunk: Uint8Array) => {
      if (!scanner.scan(chunk)) stream.destroy();
    });
    return stream;
  };
}

/** The QoS of a packet's first byte when it is a PUBLISH (type 3); 0 for any other packet. */
function publishQos(typeByte: number): number {
  return typeByte >> 4 === 3 ? (typeByte >> 1) & 3 : 0;
}
