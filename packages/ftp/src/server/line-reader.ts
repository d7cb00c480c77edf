import { isUtf8 } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;
const IAC = 0xff;
const FIRST_TELNET_COMMAND = 0xf0;
const WILL = 0xfb;
const DONT = 0xfe;
/** Telnet Data Mark, the end of a Synch. */
const DATA_MARK = 0xf2;
/** The longest pending tail checked for a cut `ABOR` (Telnet bytes and spaces around it). */
const MAX_CUT_ABOR = 32;

/**
 * Splits the bytes of a control connection into command lines (ended by LF or CRLF), never
 * buffering more than `maxLength` bytes: a longer line calls `onTooLong` and stops the reader.
 * Telnet commands (IAC sequences: Interrupt Process and Synch, sent by some clients before
 * `ABOR`) are removed. An `ABOR` sent as TCP urgent data loses its last byte (the urgent byte,
 * its LF, is not delivered in line), so `ABOR` followed by a lone CR counts as a whole line.
 */
export class LineReader {
  readonly #maxLength: number;
  readonly #onLine: (line: string) => void;
  readonly #onTooLong: () => void;
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #stopped = false;
  #generation = 0;
  /** A cut `ABOR` line was delivered: an LF that may still follow belongs to it. */
  #skipLf = false;

  constructor(maxLength: number, onLine: (line: string) => void, onTooLong: () => void) {
    this.#maxLength = maxLength;
    this.#onLine = onLine;
    this.#onTooLong = onTooLong;
  }

  /** Feeds bytes read from the connection. */
  push(chunk: Buffer): void {
    let start = 0;
    if (this.#skipLf && chunk[0] === LF) start = 1;
    this.#skipLf = false;
    const generation = this.#generation;
    while (!this.#stopped) {
      const end = chunk.indexOf(LF, start);
      if (end === -1) break;
      const part = chunk.subarray(start, end);
      start = end + 1;
      const line = this.#pendingLength === 0 ? part : Buffer.concat([...this.#pending, part]);
      this.#pending = [];
      this.#pendingLength = 0;
      if (line.byteLength > this.#maxLength) {
        this.#tooLong();
        return;
      }
      for (const command of splitCutAbor(decodeLine(line))) {
        this.#onLine(command);
        if (generation !== this.#generation || this.#stopped) return;
      }
    }
    if (this.#stopped || start >= chunk.byteLength) return;
    this.#pendingLength += chunk.byteLength - start;
    if (this.#pendingLength > this.#maxLength) {
      this.#tooLong();
      return;
    }
    this.#pending.push(Buffer.from(chunk.subarray(start)));
    if (this.#pendingLength <= MAX_CUT_ABOR && chunk[chunk.byteLength - 1] === CR) this.#cutAbor();
  }

  /** Delivers a pending `ABOR` whose LF went out of band. */
  #cutAbor(): void {
    const text = decodeLine(Buffer.concat(this.#pending));
    if (!isAbor(text)) return;
    this.#pending = [];
    this.#pendingLength = 0;
    this.#skipLf = true;
    this.#onLine(text.trim());
  }

  /** Drops any partial line and the rest of the chunk being read (after a TLS upgrade nothing sent in clear text may count). */
  clear(): void {
    this.#generation++;
    this.#pending = [];
    this.#pendingLength = 0;
  }

  /** Stops delivering lines. */
  stop(): void {
    this.#stopped = true;
    this.clear();
  }

  #tooLong(): void {
    this.stop();
    this.#onTooLong();
  }
}

/**
 * Decodes one line as UTF-8 (RFC 2640) without its CR and Telnet IAC sequences. A line that is
 * not UTF-8 (an older client's Latin-1 name) is read byte for byte as Latin-1: two such names
 * must never both turn into the same name of replacement characters. A Data Mark opening the
 * line lost its IAC to urgent data (BSD `ftp` and tnftp send `IAC IP IAC` urgent, then `DM ABOR`):
 * it goes too, as no command starts with it.
 */
export function decodeLine(line: Buffer): string {
  let bytes = line;
  if (bytes.includes(IAC)) bytes = stripTelnet(bytes);
  const start = bytes[0] === DATA_MARK ? 1 : 0;
  let end = bytes.byteLength;
  if (end > start && bytes[end - 1] === CR) end--;
  const text = bytes.toString('utf8', start, end);
  if (text.includes('\uFFFD') && !isUtf8(bytes.subarray(start, end)))
    return bytes.toString('latin1', start, end);
  return text;
}

/**
 * Removes Telnet commands: `IAC IAC` is a literal 0xFF, `IAC WILL/WONT/DO/DONT <option>` three
 * bytes, any other `IAC <command>` two. An IAC followed by a byte that is no Telnet command lost
 * its Data Mark to urgent data (the Synch of RFC 959's abort): only the IAC goes.
 */
function stripTelnet(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.byteLength);
  let length = 0;
  for (let i = 0; i < bytes.byteLength; i++) {
    const byte = bytes[i] as number;
    if (byte !== IAC) {
      out[length++] = byte;
      continue;
    }
    const next = bytes[i + 1];
    if (next === undefined || next < FIRST_TELNET_COMMAND) continue;
    if (next === IAC) out[length++] = IAC;
    i += next >= WILL && next <= DONT ? 2 : 1;
  }
  return out.subarray(0, length);
}

/** Whether a line is `ABOR` (its CR left on when its LF went out of band). */
function isAbor(text: string): boolean {
  return /^\s*ABOR\s*$/i.test(text);
}

/** A line holding a cut `ABOR` and the next command (`ABOR\rNOOP`) gives both. */
function splitCutAbor(line: string): string[] {
  const cr = line.indexOf('\r');
  if (cr === -1 || !isAbor(line.slice(0, cr))) return [line];
  return [line.slice(0, cr).trim(), ...splitCutAbor(line.slice(cr + 1))].filter((part) => part !== '');
}
