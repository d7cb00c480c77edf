import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { describe, expect, it } from 'vitest';
import { MessageDataParser } from '../src/server/data-parser.js';

/** What a parser made of its input: the message, its counts and the command lines after it. */
interface Parsed {
  readonly message: string;
  readonly byteLength: number;
  readonly sizeExceeded: boolean;
  readonly ended: boolean;
  readonly commands: string[];
}

/** Feeds `chunks` to a parser put in data mode, as a connection does after DATA. */
async function parse(parser: SMTPStream, chunks: readonly Buffer[], maxBytes?: number): Promise<Parsed> {
  const commands: string[] = [];
  parser.oncommand = (command, callback) => {
    commands.push(command.toString('binary'));
    callback?.();
  };
  const stream = parser.startDataMode(maxBytes);
  const message: Buffer[] = [];
  let ended = false;
  stream.on('data', (chunk: Buffer) => message.push(chunk));
  stream.on('end', () => {
    ended = true;
    parser.continue();
  });
  const finished = new Promise((resolve) => parser.once('finish', resolve));
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  await finished;
  // The stream's end comes a tick after the parser's last write.
  await new Promise((resolve) => setImmediate(resolve));
  return {
    message: Buffer.concat(message).toString('binary'),
    byteLength: stream.byteLength,
    sizeExceeded: stream.sizeExceeded,
    ended,
    commands,
  };
}

/** A small seeded generator, so that every run checks the same inputs. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The pieces inputs are made of: dots, line breaks of both kinds, ends and their near misses. */
const PIECES = [
  'a',
  'xyz',
  '.',
  '..',
  '\r',
  '\n',
  '\r\n',
  '\r\n.',
  '\r\n..',
  '\r\n.\r\n',
  '\n.\n',
  '.\r\n',
  'QUIT',
];

/** An input of `pieces` random pieces, split into chunks of random sizes. */
function randomInput(next: () => number, pieces: number): Buffer[] {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  const bytes = Buffer.from(text, 'binary');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * 12);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('the SMTP data parser', () => {
  it('reads every input as smtp-server own parser does', async () => {
    const next = random(7);
    for (let round = 0; round < 400; round++) {
      const chunks = randomInput(next, 1 + Math.floor(next() * 40));
      const maxBytes = next() < 0.3 ? 8 : undefined;
      const expected = await parse(new SMTPStream(), chunks, maxBytes);
      const actual = await parse(new MessageDataParser(), chunks, maxBytes);
      expect(actual, JSON.stringify(Buffer.concat(chunks).toString('binary'))).toEqual(expected);
    }
  });

  it('ends a message at its dot line and unescapes dot-stuffed lines, in one chunk or byte by byte', async () => {
    const input = 'Subject: dots\r\n\r\n..leading\r\nmiddle . dot\r\n...\r\n.\r\nQUIT\r\n';
    const whole = await parse(new MessageDataParser(), [Buffer.from(input)]);
    const bytes = await parse(
      new MessageDataParser(),
      [...Buffer.from(input)].map((byte) => Buffer.from([byte])),
    );
    for (const parsed of [whole, bytes]) {
      expect(parsed.message).toBe('Subject: dots\r\n\r\n.leading\r\nmiddle . dot\r\n..\r\n');
      expect(parsed.ended).toBe(true);
      expect(parsed.commands).toEqual(['QUIT']);
    }
  });

  it('does not end a message at a dot line with bare line feeds', async () => {
    const parsed = await parse(new MessageDataParser(), [Buffer.from('a\n.\nMAIL FROM:<x@y>\r\n')]);
    expect(parsed.ended).toBe(false);
    expect(parsed.commands).toEqual([]);
  });
});
