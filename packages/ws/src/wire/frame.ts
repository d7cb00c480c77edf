/**
 * The frame codec of Parley over WebSocket, shared by the Node.js and browser clients and the
 * server: it uses only `Uint8Array`, `DataView`, `TextEncoder` and `TextDecoder`.
 *
 * Every frame is one binary WebSocket message: one byte of type and flags, a 4-byte stream id
 * (big-endian), then the payload. `HEADERS` and `EVENT` payloads are a 4-byte length, that many
 * bytes of UTF-8 JSON, then body bytes. See docs/ws.md for the whole format.
 */

/** The frame types (the low 7 bits of a frame's first byte). */
export const FRAME = {
  /** A request or response head (JSON), optionally with the first or only body bytes. */
  HEADERS: 0x01,
  /** Body bytes of a request or response. */
  DATA: 0x02,
  /** Stop a stream: the caller gave up, or the server needs no more of the request body. */
  CANCEL: 0x03,
  /** Flow control: the sender may send this many more body bytes on the stream. */
  CREDIT: 0x04,
  /** An event: JSON (path, headers) and the whole body. */
  EVENT: 0x05,
  /** Subscribe to events on paths matching a pattern (JSON), under a subscription id. */
  SUBSCRIBE: 0x06,
  /** End a subscription. */
  UNSUBSCRIBE: 0x07,
  /** The server takes no new requests on this connection; those in flight go on. */
  GOAWAY: 0x08,
} as const;

/** The flag (high bit of the first byte) that ends a stream's body in this direction. */
export const END = 0x80;

/** The bytes before a frame's payload: type and flags, stream id. */
export const FRAME_HEAD_BYTES = 5;

/**
 * Body bytes each side may send on a stream before the receiver grants more with `CREDIT`
 * frames (bytes inlined in `HEADERS` count too).
 */
export const INITIAL_WINDOW = 1024 * 1024;

/** The most body bytes a sender puts in one frame (inline in `HEADERS`, or one `DATA`). */
export const MAX_CHUNK = 64 * 1024;

/** A decoded frame. */
export interface Frame {
  /** One of {@link FRAME}. */
  readonly type: number;
  /** Whether the {@link END} flag is set. */
  readonly end: boolean;
  /** The stream (or subscription) id. */
  readonly id: number;
  /** The bytes after the frame head. */
  readonly payload: Uint8Array;
}

/** A frame that cannot be read: the connection is closed with code 1002 and this reason. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const EMPTY = new Uint8Array(0);

/** Reads a frame's head; the payload is a view of the same bytes, made when first read. */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.byteLength < FRAME_HEAD_BYTES) throw new FrameError('A frame is shorter than its 5-byte head');
  const first = bytes[0] as number;
  return new ReadFrame(first & 0x7f, (first & END) !== 0, readUint32(bytes, 1), bytes);
}

/**
 * A frame read by {@link decodeFrame}. Its payload view is made only when read: a `HEADERS` or
 * `EVENT` frame's head and body are read straight from the frame's bytes ({@link decodeHead}).
 */
class ReadFrame implements Frame {
  constructor(
    readonly type: number,
    readonly end: boolean,
    readonly id: number,
    /** The whole frame. */
    readonly bytes: Uint8Array,
  ) {}

  get payload(): Uint8Array {
    return view(this.bytes, FRAME_HEAD_BYTES, this.bytes.byteLength);
  }
}

/**
 * The bytes from `start` to `end` of `bytes`, as a plain `Uint8Array` over the same memory.
 * Cheaper than `subarray`, which on a Node.js `Buffer` (what `ws` hands over) makes a `Buffer`
 * through its subclass constructor.
 */
function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

/**
 * A frame with a JSON head and body bytes (`HEADERS`, `EVENT`); a body given as text is written
 * as UTF-8. The JSON and the text are written straight into the frame, so a small request or
 * reply is one allocation.
 */
export function encodeHeadFrame(
  type: number,
  id: number,
  head: unknown,
  body: Uint8Array | string = EMPTY,
  end = true,
): Uint8Array {
  return encodeJsonHeadFrame(type, id, JSON.stringify(head), body, end);
}

/** A frame as {@link encodeHeadFrame} makes it, from its head already written as JSON text. */
export function encodeJsonHeadFrame(
  type: number,
  id: number,
  json: string,
  body: Uint8Array | string = EMPTY,
  end = true,
): Uint8Array {
  // Sized for ASCII text first (one byte per UTF-16 unit), the usual case; else for the worst.
  return (
    writeHeadFrame(type, id, json, body, end, 1) ??
    (writeHeadFrame(type, id, json, body, end, 3) as Uint8Array)
  );
}

/**
 * The usual request head, `{"method":…,"path":…,"timeout":…}` (no query, no header fields, a
 * path JSON writes as it is and a whole number of ms, or none), written byte by byte straight
 * into its frame: the same bytes as {@link encodeJsonHeadFrame} makes of its JSON text, without
 * making the text. `undefined` for any other head.
 */
export function encodePlainRequestFrame(
  id: number,
  method: string,
  path: string,
  timeout: number | undefined,
  body: Uint8Array | string,
  end: boolean,
): Uint8Array | undefined {
  if (!plainJsonText(path)) return undefined;
  if (timeout !== undefined && !(Number.isSafeInteger(timeout) && timeout >= 0)) return undefined;
  const digits = timeout === undefined ? 0 : digitCount(timeout);
  const jsonBytes =
    METHOD_FIELD.length +
    method.length +
    PATH_FIELD.length +
    path.length +
    2 +
    (timeout === undefined ? 0 : TIMEOUT_FIELD.length + digits) +
    1;
  const start = FRAME_HEAD_BYTES + 4;
  const bodyRoom = typeof body === 'string' ? body.length * 3 : body.byteLength;
  const frame = allocate(start + jsonBytes + bodyRoom);
  let at = writeAscii(frame, start, METHOD_FIELD);
  at = writeAscii(frame, at, method);
  at = writeAscii(frame, at, PATH_FIELD);
  frame[at++] = QUOTE;
  at = writeAscii(frame, at, path);
  frame[at++] = QUOTE;
  if (timeout !== undefined) {
    at = writeAscii(frame, at, TIMEOUT_FIELD);
    for (let rest = timeout, i = digits - 1; i >= 0; i--, rest = Math.floor(rest / 10))
      frame[at + i] = 0x30 + (rest % 10);
    at += digits;
  }
  frame[at++] = CLOSE_BRACE;
  if (typeof body === 'string') {
    const bodyBytes = writeText(body, frame, at, frame.byteLength - at);
    if (bodyBytes < 0) return undefined;
    at += bodyBytes;
  } else if (body.byteLength > 0) {
    frame.set(body, at);
    at += body.byteLength;
  }
  writeHead(frame, FRAME.HEADERS, end, id);
  writeUint32(frame, FRAME_HEAD_BYTES, jsonBytes);
  return at === frame.byteLength ? frame : frame.subarray(0, at);
}

const METHOD_FIELD = '{"method":"';
const PATH_FIELD = '","path":';
const TIMEOUT_FIELD = ',"timeout":';
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;

/** Whether JSON writes `text` as it is between quotes: printable ASCII, no `"` and no `\`. */
function plainJsonText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || unit > 0x7e || unit === QUOTE || unit === 0x5c) return false;
  }
  return true;
}

/** The decimal digits of a whole number, 0 or more. */
function digitCount(value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

/** Writes ASCII `text` into `frame` at `at`; returns where it ends. */
function writeAscii(frame: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) frame[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/** A head frame in a buffer of `bytesPerUnit` bytes per UTF-16 unit of text, or `undefined` when that is too small. */
function writeHeadFrame(
  type: number,
  id: number,
  json: string,
  body: Uint8Array | string,
  end: boolean,
  bytesPerUnit: number,
): Uint8Array | undefined {
  const start = FRAME_HEAD_BYTES + 4;
  const headRoom = json.length * bytesPerUnit;
  const bodyRoom = typeof body === 'string' ? body.length * bytesPerUnit : body.byteLength;
  const frame = allocate(start + headRoom + bodyRoom);
  const jsonBytes = writeText(json, frame, start, headRoom);
  if (jsonBytes < 0) return undefined;
  let length = start + jsonBytes;
  if (typeof body === 'string') {
    const bodyBytes = writeText(body, frame, length, frame.byteLength - length);
    if (bodyBytes < 0) return undefined;
    length += bodyBytes;
  } else if (body.byteLength > 0) {
    frame.set(body, length);
    length += body.byteLength;
  }
  writeHead(frame, type, end, id);
  writeUint32(frame, FRAME_HEAD_BYTES, jsonBytes);
  return length === frame.byteLength ? frame : frame.subarray(0, length);
}

/** Texts up to this many UTF-16 units are written by a loop when ASCII, longer ones by `TextEncoder`. */
const SHORT_TEXT = 128;

/**
 * Writes `text` as UTF-8 into `frame` at `at`, in at most `room` bytes. Returns the bytes
 * written, or -1 when they do not fit.
 */
function writeText(text: string, frame: Uint8Array, at: number, room: number): number {
  const length = text.length;
  if (length <= SHORT_TEXT && length <= room) {
    let i = 0;
    for (; i < length; i++) {
      const unit = text.charCodeAt(i);
      if (unit > 0x7f) break;
      frame[at + i] = unit;
    }
    if (i === length) return length;
  }
  const done = encoder.encodeInto(text, view(frame, at, at + room));
  return done.read < length ? -1 : done.written;
}

/**
 * A new frame of `size` bytes, its content not yet written: a `Buffer` from Node.js's pool where
 * there is one (what `ws` sends without converting it), else a `Uint8Array`.
 */
const allocate: (size: number) => Uint8Array = ((pool) =>
  pool === undefined ? (size) => new Uint8Array(size) : (size) => pool.allocUnsafe(size))(
  (globalThis as { Buffer?: { allocUnsafe(size: number): Uint8Array } }).Buffer,
);

/** The JSON head and body bytes of a `HEADERS` or `EVENT` payload. */
export function decodeHeadPayload(payload: Uint8Array): { head: unknown; body: Uint8Array } {
  return readHead(payload, 0);
}

/** The JSON head and body bytes of a `HEADERS` or `EVENT` frame (read without a view of its payload). */
export function decodeHead(frame: Frame): { head: unknown; body: Uint8Array } {
  return frame instanceof ReadFrame ? readHead(frame.bytes, FRAME_HEAD_BYTES) : readHead(frame.payload, 0);
}

/** The JSON head and body bytes of a head payload that starts at `start` of `bytes`. */
function readHead(bytes: Uint8Array, start: number): { head: unknown; body: Uint8Array } {
  const size = bytes.byteLength;
  if (start + 4 > size) throw new FrameError('A head frame has no 4-byte JSON length');
  const length = readUint32(bytes, start);
  const end = start + 4 + length;
  if (end > size) throw new FrameError('A head frame is shorter than its JSON length');
  let head: unknown;
  try {
    head = JSON.parse(decoder.decode(view(bytes, start + 4, end)));
  } catch {
    throw new FrameError('A head frame does not hold UTF-8 JSON');
  }
  return { head, body: end === size ? EMPTY : view(bytes, end, size) };
}

/** A `DATA` frame. */
export function encodeData(id: number, chunk: Uint8Array, end: boolean): Uint8Array {
  const frame = allocate(FRAME_HEAD_BYTES + chunk.byteLength);
  writeHead(frame, FRAME.DATA, end, id);
  frame.set(chunk, FRAME_HEAD_BYTES);
  return frame;
}

/** A `CREDIT` frame granting `bytes` more. */
export function encodeCredit(id: number, bytes: number): Uint8Array {
  const frame = allocate(FRAME_HEAD_BYTES + 4);
  writeHead(frame, FRAME.CREDIT, false, id);
  writeUint32(frame, FRAME_HEAD_BYTES, bytes);
  return frame;
}

/** The increment of a `CREDIT` payload. */
export function decodeCredit(payload: Uint8Array): number {
  if (payload.byteLength !== 4) throw new FrameError('A CREDIT frame must carry exactly 4 bytes');
  return readUint32(payload, 0);
}

/** A frame whose payload is empty or a short UTF-8 text (`CANCEL`, `UNSUBSCRIBE`, `GOAWAY`). */
export function encodeText(type: number, id: number, text = ''): Uint8Array {
  const bytes = text === '' ? EMPTY : encoder.encode(text);
  const frame = allocate(FRAME_HEAD_BYTES + bytes.byteLength);
  writeHead(frame, type, false, id);
  frame.set(bytes, FRAME_HEAD_BYTES);
  return frame;
}

/** The text of a `CANCEL` or `GOAWAY` payload (invalid UTF-8 is replaced, never refused). */
export function decodeText(payload: Uint8Array): string {
  return new TextDecoder().decode(payload);
}

function writeHead(frame: Uint8Array, type: number, end: boolean, id: number): void {
  frame[0] = type | (end ? END : 0);
  writeUint32(frame, 1, id);
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] as number) << 24) >>> 0) +
    ((bytes[at + 1] as number) << 16) +
    ((bytes[at + 2] as number) << 8) +
    (bytes[at + 3] as number)
  );
}
