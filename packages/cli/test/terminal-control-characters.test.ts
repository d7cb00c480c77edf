import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** What a terminal acts on: sets the window title, clears the screen, colours, a C1 CSI. */
const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u001b[31m\u009b1m';
/** C0 and C1 control characters other than the line feed ending each line, and tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let http: RawServer;
let smtp: RawServer;

beforeAll(async () => {
  http = await startTalkingServer((socket) =>
    socket.once('data', (request) => {
      const listing = request.toString('latin1').startsWith('GET /folder/ ');
      const body = listing
        ? JSON.stringify([{ name: `a${ESCAPES}\n- 0 fake.txt`, type: 'file', size: 1 }])
        : 'ok';
      socket.end(
        Buffer.concat([
          Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-note: a'),
          // Header field values are bytes: a latin1 0x9b is the C1 control CSI.
          Buffer.from([0x9b]),
          Buffer.from(`31mred\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`),
          Buffer.from(body),
        ]),
      );
    }),
  );
  // An SMTP server whose greeting carries escape sequences, then goes away.
  smtp = await startTalkingServer((socket) => socket.end(`421 ${ESCAPES}Go away\r\n`));
});
afterAll(async () => {
  await Promise.all([http.close(), smtp.close()]);
});

describe('parley shows control characters a server sends as text, never raw to the terminal', () => {
  it('in the names of a listing, a line feed included', async () => {
    const run = await parley([`http://127.0.0.1:${http.port}/folder/`]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    // One entry, one line: a name cannot forge another entry.
    expect(run.stdout.split('\n')).toHaveLength(2);
    expect(run.stdout).toContain('a\\x1b]0;owned\\x07\\x1b[2J\\x1b[31m\\x9b1m\\x0a- 0 fake.txt\n');
  });

  it('in the header fields -i prints', async () => {
    const run = await parley(['-i', `http://127.0.0.1:${http.port}/file`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('x-note: a\\x9b31mred\n');
    expect(run.stdout).not.toMatch(CONTROL);
  });

  it('in the dialogue -v prints', async () => {
    const run = await parley(['-v', '-d', 'hi', `smtp://127.0.0.1:${smtp.port}/notes`]);
    expect(run.stderr).toContain('< smtp 421 \\x1b]0;owned\\x07');
    expect(run.stderr).not.toMatch(CONTROL);
  });
});
