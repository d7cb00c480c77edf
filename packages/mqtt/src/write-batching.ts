import type { MqttClient } from 'mqtt';

/**
 * Groups every packet a client writes in one turn of the event loop into one socket write.
 *
 * MQTT.js writes each packet on its own (corked only until the next tick), so a server's PUBACK
 * and the reply it publishes a few microtasks later, or the requests of many callers, each cost
 * a system call and a TCP segment. Holding the stream corked until `setImmediate` (the check
 * phase of the same loop turn, no timer) sends them together; latency does not grow, since
 * nothing else would run before the check phase anyway.
 */
export function batchWrites(client: MqttClient): void {
  // Browsers have no check phase (nor setImmediate): each packet goes as MQTT.js writes it.
  const later = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
  if (later === undefined) return;
  let corked: MqttClient['stream'] | undefined;
  const flush = (): void => {
    const stream = corked;
    corked = undefined;
    stream?.uncork();
  };
  client.on('packetsend', () => {
    const stream = client.stream;
    if (corked === stream || stream === undefined) return;
    if (corked !== undefined) flush();
    corked = stream;
    stream.cork();
    later(flush);
  });
}
