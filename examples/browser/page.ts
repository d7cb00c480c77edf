/**
 * The page: the same `notes` function as client.ts, over each protocol, with the browser
 * builds of Parley's clients (a bundler picks them by the `browser` export condition).
 */
import { type Client, createClient } from '@parley/core';
import { type Endpoints, notes, RUNS } from './shared.js';
import { transportsTo } from './transports.js';

interface PageGlobals {
  document: {
    getElementById(id: string): { textContent: string | null; append(child: unknown): void } | null;
    createElement(tag: string): { textContent: string | null };
  };
  /** What the runs returned, for a test to read. */
  parleyResults?: Record<string, string>;
}

const page = globalThis as unknown as PageGlobals;
const endpoints = JSON.parse(page.document.getElementById('endpoints')?.textContent ?? '{}') as Endpoints;
const transports = transportsTo(endpoints);

const results: Record<string, string> = {};
for (const { protocol, note } of RUNS) {
  let client: Client | undefined;
  try {
    client = createClient(transports[protocol]());
    results[protocol] = await notes(client, `browser-${note}`);
  } catch (error) {
    results[protocol] = `failed: ${String(error)}`;
  } finally {
    await client?.close();
  }
  const item = page.document.createElement('li');
  item.textContent = `${protocol}: ${results[protocol]}`;
  page.document.getElementById('results')?.append(item);
}
page.parleyResults = results;
