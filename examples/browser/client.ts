import { createClient } from '@parley/core';
import { type Endpoints, notes, RUNS } from './shared.js';
import { transportsTo } from './transports.js';

/** Runs the shared `notes` function in Node.js over each protocol: protocol -> what it read. */
export async function runInNode(endpoints: Endpoints): Promise<Record<string, string>> {
  const transports = transportsTo(endpoints);
  const results: Record<string, string> = {};
  for (const { protocol, note } of RUNS) {
    await using client = createClient(transports[protocol]());
    results[protocol] = await notes(client, `node-${note}`);
  }
  return results;
}
