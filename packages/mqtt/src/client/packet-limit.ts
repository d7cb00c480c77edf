import type { Duplex } from 'node:stream';
import type { MqttClient } from 'mqtt';

/** What MQTT.js calls to open each connection's stream (a private field of its client). */
type StreamBuilder = (client: MqttClient) => Duplex;

/**
 * Cuts a connection as soon as the broker starts a packet larger than `maxBytes` (the Maximum
 * Packet Size the client announced in its MQTT 5 CONNECT). MQTT.js checks the limit only once
 * the whole packet is in memory: a broker announcing 200 MB would have them gathered first.
 * Each stream the client opens (reconnections too) is watched from its first byte.
 *
 * @param client - the MQTT.js client, before it connects
 * @param maxBytes - the largest packet taken, its fixed header included
 */
export function limitIncomingPackets(client: MqttClient, maxBytes: number): void {
  const fields = client as unknown as { streamBuilder: StreamBuilder };
  const build = fields.streamBuilder;
  fields.streamBuilder = (owner) => {
    const stream = build(owner);
    const framing = new PacketFraming(maxBytes);
    stream.on('data', (chunk: Uint8Array) => {
      if (!framing.take(chunk)) stream.destroy();
    });
    return stream;
  };
}

/** Follows the packets of a byte stream by their fixed headers, skipping their bodies. */
class PacketFraming {
  readonly #maxBytes: number;
  /** Body bytes of the current packet still to skip. */
  #skip = 0;
  /** Bytes of the current fixed header read so far (0: none). */
  #headerBytes = 0;
  #length = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Reads a chunk; false once a packet announces more than the limit. */
  take(chunk: Uint8Array): boolean {
    let at = 0;
    while (at < chunk.length) {
      if (this.#skip > 0) {
        const skipped = Math.min(this.#skip, chunk.length - at);
        this.#skip -= skipped;
        at += skipped;
        continue;
      }
      const byte = chunk[at++] as number;
      if (this.#headerBytes++ === 0) continue;
      // Remaining Length: up to four bytes of seven bits, least significant first.
      this.#length += (byte & 0x7f) * 128 ** (this.#headerBytes - 2);
      if ((byte & 0x80) !== 0 && this.#headerBytes < 5) continue;
      if (this.#headerBytes + this.#length > this.#maxBytes) return false;
      this.#skip = this.#length;
      this.#headerBytes = 0;
      this.#length = 0;
    }
    return true;
  }
}
