import type { Client } from '@parley/core';
import { byId, element, protocolBadge } from './dom.js';

/** A change as the service publishes it (see `NoteChange` in src/changes.ts). */
interface NoteChange {
  readonly type: string;
  readonly name: string;
  readonly size: number;
  readonly protocol: string;
  readonly peer: string;
  readonly status: string;
  readonly at: string;
}

/** The most changes kept on the page. */
const MAX_ROWS = 50;
/** The wait before subscribing again after the connection was lost, in ms. */
const RETRY_MS = 2_000;

const rows = byId<HTMLTableSectionElement>('changes');
const state = byId('state');

function show(change: NoteChange): void {
  const row = element('tr', '', 'fresh');
  row.dataset.name = change.name;
  row.dataset.protocol = change.protocol;
  const protocol = element('td');
  protocol.append(protocolBadge(change.protocol));
  const time = element('td', change.at.slice(11, 19), 'time');
  time.title = change.at;
  row.append(
    time,
    protocol,
    element('td', `${change.type} ${change.name} (${change.size} B)`, 'change'),
    element('td', change.peer, 'peer'),
    element('td', change.status, 'status'),
  );
  rows.prepend(row);
  while (rows.rows.length > MAX_ROWS) rows.lastElementChild?.remove();
}

/**
 * Follows the service's change events over the client (Parley events on the WebSocket
 * connection): shows each change and calls `onChange`, and subscribes again when the connection
 * is lost. `onLive` runs each time the subscription is in place.
 */
export async function followChanges(
  client: Client,
  onLive: () => Promise<void>,
  onChange: () => void,
): Promise<never> {
  while (true) {
    try {
      state.textContent = 'Connecting over WebSocket…';
      const events = client.subscribe('/notes/:name');
      // Sent after the SUBSCRIBE frame on the same connection: once answered, nothing is missed.
      await onLive();
      state.textContent =
        'Live over WebSocket: changes made over HTTP, WebSocket, FTP, SMTP and MQTT appear as they happen.';
      for await (const event of events) {
        show((await event.body.json()) as NoteChange);
        onChange();
      }
      state.textContent = 'The change feed ended; subscribing again…';
    } catch (error) {
      state.textContent = `Disconnected (${error instanceof Error ? error.message : String(error)}); retrying…`;
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
