import { createClient, formatTraceEvent, ParleyError, type Response, type TraceEvent } from '@parley/core';
import { byId, element } from './dom.js';
import { type TransportChoice, transportFor } from './endpoints.js';

const form = byId<HTMLFormElement>('request');
const LABELS: Readonly<Record<TransportChoice, string>> = {
  http: 'HTTP',
  ws: 'WebSocket',
  mqtt: 'MQTT over WebSocket',
};
const reply = byId<HTMLPreElement>('reply');
const trace = byId<HTMLOListElement>('trace');

/** How long one request from the form may take, in ms. */
const TIMEOUT_MS = 15_000;

async function describe(response: Response): Promise<string> {
  const fields = [...response.headers].map(([name, value]) => `${name}: ${value}`);
  const body = await response.body.text();
  return [response.status, ...fields, '', body === '' ? '(no body)' : body].join('\n');
}

/**
 * Sends one request over a fresh client of the chosen transport, so the trace shows the whole
 * conversation (connection included), then closes it.
 */
async function send(choice: TransportChoice, method: string, path: string, content: string) {
  const events: TraceEvent[] = [];
  let text: string;
  try {
    const client = createClient(transportFor(choice), {
      trace: (event) => events.push(event),
      timeoutMs: TIMEOUT_MS,
      retries: 0,
    });
    try {
      const response =
        method === 'PUT'
          ? await client.put(path, content)
          : method === 'DELETE'
            ? await client.delete(path)
            : await client.get(path);
      text = await describe(response);
    } finally {
      await client.close();
    }
  } catch (error) {
    const failure = ParleyError.from(error);
    text = `failed: ${failure.status}\n${failure.message}`;
  }
  return { text, events };
}

function showTrace(events: readonly TraceEvent[]): void {
  if (events.length === 0) {
    trace.replaceChildren(element('li', '(the transport reported no wire events)', 'info'));
    return;
  }
  trace.replaceChildren(...events.map((event) => element('li', formatTraceEvent(event), event.direction)));
}

/** Sends the form's request on submit, over the chosen transport, and shows reply and trace. */
export function handleRequests(): void {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const choice = String(data.get('transport')) as TransportChoice;
    const method = (event.submitter as HTMLButtonElement | null)?.value ?? 'GET';
    const name = String(data.get('name')).trim();
    const path = `/notes/${encodeURIComponent(name)}`;
    const over = `${method} ${path} over ${LABELS[choice]}`;
    reply.textContent = `${over}…`;
    form.setAttribute('aria-busy', 'true');
    const { text, events } = await send(choice, method, path, String(data.get('content')));
    form.removeAttribute('aria-busy');
    reply.textContent = `${over}\n\n${text}`;
    reply.dataset.done = `${choice} ${method}`;
    showTrace(events);
  });
}
