import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';

type Done = (error?: Error | null) => void;

/** The sequence that ends a message: a line of one dot. */
const END_SEQUENCE = Buffer.from('\r\n.\r\n');
/** A message that is only its end: the dot line at the very start of the data. */
const EMPTY_MESSAGE_END = Buffer.from('.\r\n');
/** A line break followed by a dot: where a line of the message starts with a dot. */
const LINE_DOT = Buffer.from('\n.');
const DOT = 0x2e;

/**
 * `smtp-server`'s parser of a connection's input (`SMTPStream`), with the same data mode done
 * with `Buffer.indexOf`: the library looks for the dot that starts a line one byte at a time in
 * JavaScript (about 24 instructions per byte of every message), this parser goes from one
 * line-starting dot to the next in native code. What it does with each such dot is the
 * library's, unchanged: the line `.` after a CRLF ends the message (and only then; a message
 * that starts with that line is empty), a line starting with `..` loses its first dot, the last
 * four bytes of a chunk are held until the next one so that an end split across chunks is
 * found, the byte count and the size flag of the message's stream are kept up to date, and
 * the stream's back-pressure pauses the input.
 */
export class MessageDataParser extends SMTPStream {
  /** Processes a chunk in data mode: escape dots are removed and the final dot ends the data mode. */
  override _feedDataStream(input: Buffer, done: Done): void {
    const dataStream = this._dataStream;
    if (dataStream === null) {
      done();
      return;
    }
    let chunk = input;
    const last = this._lastBytes;
    if (last !== false && last.length > 0) {
      chunk = Buffer.concat([last, chunk], last.length + chunk.length);
      this._lastBytes = false;
    }
    let len = chunk.length;
    // At the very start of the data (no byte of it taken yet) a dot line ends it at once.
    if (this._atDataStart && len >= 3 && chunk.compare(EMPTY_MESSAGE_END, 0, 3, 0, 3) === 0) {
      this._endDataMode(false, chunk.subarray(3), done);
      return;
    }
    // An escape dot at the very start is taken: the dot after it is content.
    if (this._atDataStart && len >= 2 && chunk[0] === DOT && chunk[1] === DOT) {
      chunk = chunk.subarray(1);
      len--;
      this._atDataStart = false;
    }
    // Every dot at index i >= 2 that starts a line, while i < len - 2 (the library's bounds).
    for (
      let lf = chunk.indexOf(LINE_DOT, 1);
      lf !== -1 && lf < len - 3;
      lf = chunk.indexOf(LINE_DOT, lf + 2)
    ) {
      const i = lf + 1;
      if (chunk.compare(END_SEQUENCE, 0, 5, i - 2, i + 3) === 0) {
        // Everything before the end, its CRLF included, is the message.
        const buf = chunk.subarray(0, i);
        this._countDataBytes(buf.length);
        this._endDataMode(buf, chunk.subarray(i + 3), done);
        return;
      }
      if (chunk[i + 1] === DOT) {
        // An escape dot: what comes before goes out, the rest follows without the dot.
        const buf = chunk.subarray(0, i);
        this._lastBytes = false;
        this._countDataBytes(buf.length);
        if (dataStream.writable) dataStream.write(buf);
        const rest = chunk.subarray(i + 1);
        setImmediate(() => this._feedDataStream(rest, done));
        return;
      }
    }
    // The last bytes are kept for the next chunk: an end may start in them.
    this._lastBytes = chunk.length < 4 ? chunk : chunk.subarray(chunk.length - 4);
    if (this._lastBytes.length >= chunk.length) {
      done();
      return;
    }
    const buf = chunk.subarray(0, chunk.length - this._lastBytes.length);
    this._countDataBytes(buf.length);
    if (!dataStream.writable) {
      done();
      return;
    }
    const handled = dataStream.write(buf);
    if (handled || dataStream.destroyed) {
      done();
      return;
    }
    // A stream the handler destroys never drains, it only closes.
    const onDrain = (): void => {
      dataStream.removeListener('drain', onDrain);
      dataStream.removeListener('close', onDrain);
      done();
    };
    dataStream.once('drain', onDrain);
    dataStream.once('close', onDrain);
  }
}
