import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createClient, createRouter, createServer, type Request, respond, type Server } from '@parley/core';
import { type SmtpOptions, smtp } from '@parley/smtp';
import { afterEach, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';

/** What the test mailbox service received. */
export interface Received {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly principal: string | undefined;
}

/** A mailbox service: `/inbox/*` stores messages; `/fail` answers forbidden; `/slow` waits. */
export async function startMailbox(
  options: SmtpOptions = {},
  serverOptions: Parameters<typeof createServer>[1] = {},
): Promise<{ server: Server; url: string; port: number; received: Received[]; failures: unknown[] }> {
  const received: Received[] = [];
  const failures: unknown[] = [];
  const store = async (request: Request) => {
    try {
      const body = await request.body.text();
      received.push({
        path: request.path,
        headers: request.headers.toObject(),
        body,
        principal: request.peer.principal?.name,
      });
      return respond('ok');
    } catch (error) {
      failures.push(error);
      throw error;
    }
  };
  const router = createRouter()
    .post('/inbox', store)
    .post('/inbox/*', store)
    .post('/fail', async () => respond('forbidden', 'mail to /fail is refused'))
    .get('/readonly', async () => respond('ok'));
  const server = createServer(router, serverOptions);
  const listener = await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0, ...options }));
  return { server, url: listener.url, port: Number(new URL(listener.url).port), received, failures };
}

/** A line-by-line SMTP conversation over a raw socket, for tests that misbehave on purpose. */
export class RawSmtp {
  readonly socket: Socket;
  #buffer = '';
  #waiting: (() => void) | undefined;
  #closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.#buffer += text;
      this.#waiting?.();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#waiting?.();
    });
    socket.on('error', () => undefined);
  }

  /** Connects and reads the greeting. */
  static async open(port: number): Promise<{ client: RawSmtp; greeting: string }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawSmtp(socket);
    return { client, greeting: await client.reply() };
  }

  /** Reads one (possibly multi-line) reply; the empty string when the connection closed. */
  async reply(timeoutMs = 5000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(this.#buffer);
      if (match !== null) {
        this.#buffer = this.#buffer.slice(match[0].length);
        return match[0].trim();
      }
      if (this.#closed) return '';
      if (Date.now() > until)
        throw new Error(`No reply within ${timeoutMs} ms; got ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** Sends a line and reads the reply. */
  async command(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Writes raw text. */
  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Whether the server closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the socket. */
  close(): void {
    this.socket.destroy();
  }
}

export { hasPeer } from '../../../test/support/peer.js';
export { selfSignedCertificate } from '../../../test/support/tls.js';

/** `it` when the peer is there or CI demands it (then a missing peer fails), else `it.skip`. */
export function itWithPeer(available: boolean): typeof it {
  return available || process.env.CI === 'true' ? it : (it.skip as typeof it);
}

/**
 * Runs a command without blocking the event loop (the server under test shares it), feeding
 * it `input` on stdin when given.
 */
export function run(
  command: string,
  args: string[],
  input?: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(input ?? '');
  });
}

/** Waits until `condition` holds (the shared poll helper, 5 s by default). */
export async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  await eventually(condition, timeoutMs);
}

/** What {@link cleanupEach} gives a test file. */
export interface Cleanup {
  /** Runs `close` after the current test. */
  defer(close: () => Promise<void>): void;
  /** Starts a mailbox server (see {@link startMailbox}) that is closed after the current test. */
  mailbox(...args: Parameters<typeof startMailbox>): ReturnType<typeof startMailbox>;
}

/** Closes whatever each test of the calling file opened, once the test ends. */
export function cleanupEach(): Cleanup {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const defer = (close: () => Promise<void>): void => {
    closers.push(close);
  };
  return {
    defer,
    async mailbox(...args) {
      const started = await startMailbox(...args);
      defer(() => started.server.close({ timeoutMs: 1000 }));
      return started;
    },
  };
}

/** What {@link rawMessageSender} gives: a send, and the header block of the last message received. */
export interface RawMessageSender {
  /** Sends `hello` to `/inbox` with these header fields; resolves with the reply's status. */
  post(headers: Record<string, string>): Promise<string>;
  /** The header block of the last message as it arrived (folded lines kept), ending with CRLF. */
  head(): string;
}

/** A client and a server that keeps each message as it arrived, both closed after the current test. */
export async function rawMessageSender(cleanup: Cleanup): Promise<RawMessageSender> {
  const messages: string[] = [];
  const router = createRouter().post('/inbox', async (request) => {
    messages.push(await request.body.text());
    return respond('ok');
  });
  const server = createServer(router);
  const listener = await server.listen(
    smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0, rawMessage: true }),
  );
  const client = createClient(smtp(listener.url));
  cleanup.defer(async () => {
    await client.close();
    await server.close();
  });
  return {
    post: async (headers) => (await client.post('/inbox', 'hello', { headers })).status,
    head: () => {
      const message = messages.at(-1) ?? '';
      return message.slice(0, message.indexOf('\r\n\r\n') + 2);
    },
  };
}
