const LF = 0x0a;
const CR = 0x0d;
const IAC = 0xff;

/**
 * Splits the bytes of a control connection into command lines (ended by LF or CRLF), never
 * buffering more than `maxLength` bytes: a longer line calls `onTooLong` and stops the reader.
 * Telnet commands (IAC sequences, sent by some clients before `ABOR`) are removed.
 */
export class LineReader {
  readonly #maxLength: number;
  readonly #onLine: (line: string) => void;
  readonly #onTooLong: () => void;
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #stopped = false;
  #generation = 0;

  constructor(maxLength: number, onLine: (line: string) => void, onTooLong: () => void) {
    this.#maxLength = maxLength;
    this.#onLine = onLine;
    this.#onTooLong = onTooLong;
  }

  /** Feeds bytes read from the connection. */
  push(chunk: Buffer): void {
    let start = 0;
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
      this.#onLine(decodeLine(line));
      if (generation !== this.#generation) return;
    }
    if (this.#stopped || start >= chunk.byteLength) return;
    this.#pendingLength += chunk.byteLength - start;
    if (this.#pendingLength > this.#maxLength) {
      this.#tooLong();
      return;
    }
    this.#pending.push(Buffer.from(chunk.subarray(start)));
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

/** Decodes one line as UTF-8 (RFC 2640) without its CR and Telnet IAC sequences. */
export function decodeLine(line: Buffer): string {
  let bytes = line;
  if (bytes.includes(IAC)) bytes = stripTelnet(bytes);
  let end = bytes.byteLength;
  if (end > 0 && bytes[end - 1] === CR) end--;
  return bytes.toString('utf8', 0, end);
}

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
    if (next === IAC) out[length++] = IAC;
    i++;
  }
  return out.subarray(0, length);
}
