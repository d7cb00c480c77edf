/**
 * `pnpm demo --trace`: one PUT and one GET of a note over each protocol, with what each one
 * said on the wire, read from the core tracing hook of the demo's clients. The same two calls
 * of the same `Client` are a different conversation on every wire.
 */
import { type Client, isSuccess, ParleyError, type Response, type TraceEvent } from '@parley/core';

/** What one call said on the wire. */
export interface Dialogue {
  /** The call, as the heading shows it (`PUT /notes/trace-http.txt`). */
  readonly call: string;
  /** How it ended: a status, or a refusal before the network. */
  readonly outcome: string;
  /** The wire events, one line each (`> USER demo`, `< 230 Login successful`). */
  readonly lines: readonly string[];
  /** Whether it ended as the protocol's contract leads to expect. */
  readonly expected: boolean;
}

/** A protocol's two calls. */
export interface Conversation {
  /** The protocol. */
  readonly protocol: string;
  /** The write (a PUT, or a POST where the protocol carries only that). */
  readonly write: Dialogue;
  /** The read (a GET). */
  readonly read: Dialogue;
}

/** One event as a line: curl's marks (`>` sent, `<` received, `*` neither), then the summary. */
export function traceLine(event: TraceEvent): string {
  const mark = event.direction === 'send' ? '>' : event.direction === 'receive' ? '<' : '*';
  return `${mark} ${event.summary}`;
}

/**
 * Runs a call, collecting the wire events it caused. `wanted` is the body a read must get;
 * a refusal before the network is expected when the contract does not carry the method.
 */
async function record(
  client: Client,
  call: string,
  events: string[],
  send: () => Promise<Response>,
  wanted?: string,
): Promise<Dialogue> {
  events.length = 0;
  try {
    const response = await send();
    if (wanted === undefined) {
      await response.body.cancel();
      return { call, outcome: response.status, lines: [...events], expected: isSuccess(response.status) };
    }
    const text = await response.body.text();
    const outcome = `${response.status}: ${JSON.stringify(text)}`;
    return { call, outcome, lines: [...events], expected: isSuccess(response.status) && text === wanted };
  } catch (error) {
    const failure = ParleyError.from(error);
    const method = call.slice(0, call.indexOf(' '));
    if (failure.status === 'unsupported') {
      const expected = !(client.contract.methods as readonly string[]).includes(method);
      return {
        call,
        outcome: 'not carried: refused by the client, nothing sent',
        lines: [...events],
        expected,
      };
    }
    return { call, outcome: `${failure.status}: ${failure.message}`, lines: [...events], expected: false };
  }
}

/**
 * PUTs a note then GETs it with a client whose trace hook pushes a {@link traceLine} per event
 * onto `events`. A protocol that carries POST only (SMTP) writes the note with a POST
 * to `/notes` naming it in the subject; its GET is refused before the network.
 */
export async function converse(client: Client, events: string[]): Promise<Conversation> {
  const protocol = client.contract.protocol;
  const name = `trace-${protocol}.txt`;
  const body = `hello over ${protocol}\n`;
  const methods = client.contract.methods;
  const write =
    methods.includes('PUT') || !methods.includes('POST')
      ? await record(client, `PUT /notes/${name}`, events, () => client.put(`/notes/${name}`, body))
      : await record(client, `POST /notes (subject: ${name}; no PUT over ${protocol})`, events, () =>
          client.post('/notes', body, { headers: { subject: name } }),
        );
  const get = () => client.get(`/notes/${name}`);
  const read = await record(client, `GET /notes/${name}`, events, get, body);
  return { protocol, write, read };
}

/** Cuts a line into pieces of at most `width` characters, continuations indented. */
function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const pieces = [line.slice(0, width)];
  for (let at = width; at < line.length; at += width - 4)
    pieces.push(`    ${line.slice(at, at + width - 4)}`);
  return pieces;
}

function column(dialogue: Dialogue, width: number): string[] {
  return [
    ...wrap(dialogue.call, width),
    '-'.repeat(Math.min(width, dialogue.call.length)),
    ...dialogue.lines.flatMap((line) => wrap(line, width)),
    ...(dialogue.lines.length === 0 ? ['(nothing on the wire)'] : []),
    ...wrap(`= ${dialogue.outcome}`, width),
  ];
}

/**
 * The conversations as text `width` columns wide: one block per protocol, its write on the
 * left and its read on the right, long lines wrapped.
 */
export function formatConversations(conversations: readonly Conversation[], width = 120): string {
  const half = Math.floor((width - 3) / 2);
  const blocks = conversations.map(({ protocol, write, read }) => {
    const left = column(write, half);
    const right = column(read, half);
    const rows = Array.from({ length: Math.max(left.length, right.length) }, (_, row) =>
      `${(left[row] ?? '').padEnd(half)} | ${right[row] ?? ''}`.trimEnd(),
    );
    const title = `== ${protocol.toUpperCase()} `;
    return [`${title}${'='.repeat(Math.max(0, width - title.length))}`, ...rows].join('\n');
  });
  return blocks.join('\n\n');
}
