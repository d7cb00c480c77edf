import { connect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

/** One FTP reply: its code, its text (all lines), and its lines. */
export interface RawReply {
  code: number;
  text: string;
  lines: string[];
}

/**
 * A raw FTP control connection for tests: send command lines, read replies (multi-line aware),
 * open passive data connections. Every wait is bounded.
 */
export class RawFtp {
  socket: Socket;
  #buffer = '';
  #waiters: (() => void)[] = [];
  #closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.#listen(socket);
  }

  /** Connects and reads the greeting (pass `greeting: false` to skip reading it). */
  static async connect(
    port: number,
    options: { localAddress?: string; greeting?: boolean } = {},
  ): Promise<RawFtp> {
    const socket = connect({ host: '127.0.0.1', port, localAddress: options.localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const raw = new RawFtp(socket);
    if (options.greeting !== false) await raw.read();
    return raw;
  }

  #listen(socket: Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.#buffer += text;
      this.#wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Whether the server closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a raw line (CRLF added). */
  write(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Reads the next complete reply; rejects after `timeoutMs` or when the connection closes first. */
  async read(timeoutMs = 5000): Promise<RawReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.#take();
      if (reply !== undefined) return reply;
      if (this.#closed) throw new Error(`Connection closed; pending: ${JSON.stringify(this.#buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No reply in time; pending: ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #take(): RawReply | undefined {
    const lines: string[] = [];
    let offset = 0;
    let code: string | undefined;
    for (;;) {
      const end = this.#buffer.indexOf('\r\n', offset);
      if (end === -1) return undefined;
      const line = this.#buffer.slice(offset, end);
      offset = end + 2;
      lines.push(line);
      if (code === undefined) {
        code = line.slice(0, 3);
        if (line.charAt(3) !== '-') break;
      } else if (line.startsWith(`${code} `)) break;
    }
    this.#buffer = this.#buffer.slice(offset);
    return { code: Number(code), text: lines.join('\n'), lines };
  }

  /** Sends a command and reads its reply. */
  async send(line: string, timeoutMs?: number): Promise<RawReply> {
    this.write(line);
    return this.read(timeoutMs);
  }

  /** Sends a command and checks the reply code. */
  async expect(line: string, code: number): Promise<RawReply> {
    const reply = await this.send(line);
    if (reply.code !== code) throw new Error(`${line}: expected ${code}, got ${reply.text}`);
    return reply;
  }

  /** Logs in with USER and PASS. */
  async login(user = 'anonymous', password = 'guest'): Promise<void> {
    await this.expect(`USER ${user}`, 331);
    await this.expect(`PASS ${password}`, 230);
  }

  /** `EPSV`, returning the data port. */
  async epsv(): Promise<number> {
    const reply = await this.expect('EPSV', 229);
    const match = /\(\|\|\|(\d+)\|\)/.exec(reply.text);
    if (match === null) throw new Error(`Bad EPSV reply ${reply.text}`);
    return Number(match[1]);
  }

  /**
   * Sends `command` (STOR, APPE...) over a new EPSV data connection carrying `bytes`; returns
   * the final reply's text. The command must open the transfer (150).
   */
  async upload(command: string, bytes: Buffer | string): Promise<string> {
    const data = await openData(await this.epsv());
    const opening = await this.send(command);
    if (opening.code !== 150) throw new Error(`${command} did not open a transfer: ${opening.text}`);
    await sendAll(data, bytes);
    return (await this.read()).text;
  }

  /**
   * Sends `command` (RETR, LIST...) over a new EPSV data connection and reads what comes: the
   * bytes, the opening reply's text and the final reply's text (no bytes, and the opening reply
   * as the final one, when the transfer does not open).
   */
  async download(command: string): Promise<{ bytes: Buffer; opening: string; reply: string }> {
    const data = await openData(await this.epsv());
    const done = readAll(data);
    const opening = await this.send(command);
    if (opening.code !== 150) {
      data.destroy();
      done.catch(() => undefined);
      return { bytes: Buffer.alloc(0), opening: opening.text, reply: opening.text };
    }
    return { bytes: await done, opening: opening.text, reply: (await this.read()).text };
  }

  /** Upgrades the control connection with `AUTH TLS`. */
  async startTls(): Promise<void> {
    await this.expect('AUTH TLS', 234);
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secured: TLSSocket = tlsConnect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', resolve);
      secured.once('error', reject);
    });
    this.socket = secured;
    this.#listen(secured);
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }
}

/** Opens a data connection to a passive port (optionally from another local address). */
export function openData(port: number, localAddress?: string): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads a data connection to its end (bounded by `timeoutMs`). */
export function readAll(socket: Socket, timeoutMs = 5000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error('Data connection did not end in time')), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** Writes bytes to a data connection and closes it. */
export function sendAll(socket: Socket, bytes: Buffer | string): Promise<void> {
  return new Promise<void>((resolve) => socket.end(bytes, () => resolve()));
}
