import { replyLine } from './reply-line.js';

/** How many reply lines a {@link ReplyLineCache} keeps. */
const SIZE = 8;

/** A reply line kept with what it was made of. */
interface CachedLine {
  readonly code: number;
  readonly enhanced: string;
  readonly text: string;
  /** The line without its line break, as {@link replyLine} makes it. */
  readonly line: string;
  /** The line with its CRLF, as it is written. */
  readonly wire: string;
}

/**
 * The last few reply lines made (see {@link replyLine}), so that the replies `smtp-server`
 * sends for every message (`250 2.1.0 Accepted`, `354 End data with ...`) are scrubbed and
 * joined once rather than for each. A fixed number of lines is kept, the oldest made way for.
 */
export class ReplyLineCache {
  readonly #lines: (CachedLine | undefined)[] = new Array(SIZE).fill(undefined);
  #next = 0;

  /** The reply line of `code`, `enhanced` and `text`, with (`wire`) and without (`line`) its CRLF. */
  of(code: number, enhanced: string, text: string): CachedLine {
    const lines = this.#lines;
    for (let i = 0; i < SIZE; i++) {
      const cached = lines[i];
      if (cached === undefined) break;
      if (cached.text === text && cached.code === code && cached.enhanced === enhanced) return cached;
    }
    const line = replyLine(code, enhanced, text);
    const made: CachedLine = { code, enhanced, text, line, wire: `${line}\r\n` };
    lines[this.#next] = made;
    this.#next = (this.#next + 1) % SIZE;
    return made;
  }
}
