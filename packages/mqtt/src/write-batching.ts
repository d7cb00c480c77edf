import { WriteBatch } from '@parley/core/transport';
import type { MqttClient } from 'mqtt';

/**
 * Groups every packet a client writes in one turn of the event loop into one socket write (see
 * {@link WriteBatch}).
 *
 * MQTT.js writes each packet on its own (corked only until the next tick), so a server's PUBACK
 * and the reply it publishes a few microtasks later, or the requests of many callers, each cost
 * a system call and a TCP segment. In browsers (no `setImmediate`) each packet goes as MQTT.js
 * writes it.
 */
export function batchWrites(client: MqttClient): void {
  const batch = new WriteBatch();
  client.on('packetsend', () => {
    // The stream changes when the client connects anew; the batch follows it.
    const stream = client.stream;
    if (stream !== undefined) batch.add(stream);
  });
}
