/**
 * The live page of the notes service, on Parley's browser clients: the notes and their changes
 * over one WebSocket connection, and a form that sends one request over HTTP, WebSocket or MQTT
 * over WebSocket and shows the reply and the wire trace. `build-page.ts` bundles it.
 */
import { createClient } from '@parley/core';
import { ws } from '@parley/ws';
import { byId } from './dom.js';
import { mqttWsUrl, wsUrl } from './endpoints.js';
import { followChanges } from './live-feed.js';
import { refreshNotes } from './notes-table.js';
import { handleRequests } from './request-form.js';

const live = createClient(ws(wsUrl()), { retries: 0 });
const refresh = (): Promise<void> => refreshNotes(live);

handleRequests();
if (mqttWsUrl() === undefined) {
  const choice = document.querySelector<HTMLInputElement>('input[name="transport"][value="mqtt"]');
  if (choice !== null) choice.disabled = true;
  byId('trace-note').append(' MQTT is off: the service uses an external broker.');
}
void followChanges(live, refresh, () => {
  refresh().catch(() => undefined);
});
