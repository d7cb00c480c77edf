import { WriteBatch } from '@parley/core/transport';
import type { MqttClient } from 'mqtt';

/** Node.js's `process.nextTick`, where there is one (not in browsers). */
const nextTick = (globalThis as { process?: { nextTick?: (run: () => void) => void } }).process?.nextTick;

/**
 * Runs `run` once the promise reactions pending now, and those they set off, have all run: a
 * microtask queues a tick, and Node.js runs ticks queued by microtasks only once the microtask
 * queue is empty. So `run` still comes before the event loop moves on to its next event.
 */
function afterMicrotasks(run: () => void): void {
  queueMicrotask(() => (nextTick as (run: () => void) => void)(run));
}

/**
 * Groups every packet a client writes while one event is handled (a socket read, a timer) into
 * one socket write (see core's `WriteBatch`): the first packet corks the stream, which is
 * uncorked once the promise reactions that event set off have run.
 *
 * MQTT.js writes each packet on its own (corked only until the next tick), so a server's PUBACK
 * and the reply it publishes a few microtasks later, or a client's PUBACK and the next request
 * its caller makes on reading the reply, each cost a system call and a TCP segment. Holding the
 * stream no longer than that matters as much: a packet written before the event loop turns to
 * the next ready socket reaches the broker while this process is still busy with that socket,
 * so the broker's answer is often there by the next look, whereas a write held to the end of the
 * turn (`setImmediate`) leaves the broker idle until then and this process waiting after it. In
 * browsers (no `process.nextTick`) each packet goes as MQTT.js writes it.
 */
export function batchWrites(client: MqttClient): void {
  if (nextTick === undefined) return;
  const batch = new WriteBatch(Number.POSITIVE_INFINITY, afterMicrotasks);
  client.on('packetsend', () => {
    // The stream changes when the client connects anew; the batch follows it.
    const stream = client.stream;
    if (stream !== undefined) batch.add(stream);
  });
}
