import type { MqttClient } from 'mqtt';

/** How long closing waits for the broker to acknowledge the messages still in flight, in ms. */
export const FLUSH_WAIT_MS = 1_000;

/**
 * Ends a client's connection to the broker: with a DISCONNECT once the broker has acknowledged
 * the messages still in flight, or, when it has not within `waitMs` (a broker that never sends
 * PUBACK), by cutting the connection, so that closing the client always ends.
 *
 * @param client - the MQTT.js client
 * @param waitMs - the longest wait for the acknowledgements, in ms (default {@link FLUSH_WAIT_MS})
 */
export async function endSession(client: MqttClient, waitMs: number = FLUSH_WAIT_MS): Promise<void> {
  if (client.connected && inFlight(client)) await acknowledged(client, waitMs);
  await client.endAsync(inFlight(client)).catch(() => undefined);
}

function inFlight(client: MqttClient): boolean {
  return Object.keys(client.outgoing).length > 0;
}

/** Resolves once nothing is in flight, the connection is lost, or `waitMs` passed. */
function acknowledged(client: MqttClient, waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('outgoingEmpty', done);
      client.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    client.once('outgoingEmpty', done);
    client.once('close', done);
  });
}
