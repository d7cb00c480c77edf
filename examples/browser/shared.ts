import type { Client } from '@parley/core';

/**
 * The client code of this example, run unchanged in Node.js and in the page: it knows nothing
 * about protocols or platforms. Stores a note, reads it back, returns what it read.
 */
export async function notes(client: Client, name: string): Promise<string> {
  await client.put(`/notes/${name}`, `hello from ${name}`);
  const res = await client.get(`/notes/${name}`);
  return `${res.status}: ${await res.body.text()}`;
}

/** The protocols the example runs the client over, and the note each one writes. */
export const RUNS = [
  { protocol: 'http', note: 'over-http.txt' },
  { protocol: 'ws', note: 'over-ws.txt' },
  { protocol: 'mqtt', note: 'over-mqtt.txt' },
] as const;

/** Where each protocol's service is. */
export interface Endpoints {
  readonly http: string;
  readonly ws: string;
  /** MQTT over WebSocket: the broker's WebSocket port and the service prefix. */
  readonly mqtt: string;
}
