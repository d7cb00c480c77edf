import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { ws } from '@parley/ws';
import { type Endpoints, notes, RUNS } from './shared.js';

/** Runs the shared `notes` function in Node.js over each protocol: protocol -> what it read. */
export async function runInNode(endpoints: Endpoints): Promise<Record<string, string>> {
  const transports = {
    http: () => http(endpoints.http),
    ws: () => ws(endpoints.ws),
    mqtt: () => mqtt(endpoints.mqtt),
  };
  const results: Record<string, string> = {};
  for (const { protocol, note } of RUNS) {
    await using client = createClient(transports[protocol]());
    results[protocol] = await notes(client, `node-${note}`);
  }
  return results;
}
