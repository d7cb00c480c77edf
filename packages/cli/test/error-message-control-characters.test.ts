import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { switchingProtocols } from '../../../test/support/close-ignoring-ws-server.js';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** What a terminal acts on (sets the window title, colours), then a line feed forging a line. */
const REASON = '\u001b]0;owned\u0007\u001b[31mred\nparley: a forged line';
/** C0 and C1 control characters other than the line feed ending the message, and tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let server: RawServer;

beforeAll(async () => {
  // A WebSocket server that accepts the upgrade, then closes with 1011 and REASON.
  server = await startRawServer((socket, request) => {
    const reason = Buffer.from(REASON);
    const payload = Buffer.concat([Buffer.from([0x03, 0xf3]), reason]);
    socket.write(switchingProtocols(request.toString('latin1')));
    socket.write(Buffer.concat([Buffer.from([0x88, payload.length]), payload]));
  });
});
afterAll(() => server.close());

describe('parley prints an error message carrying a server text on one line, its control characters shown', () => {
  it('for a WebSocket close reason', async () => {
    const run = await parley([`ws://127.0.0.1:${server.port}/parley/notes/a.txt`]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toContain('\\x1b]0;owned\\x07\\x1b[31mred\\x0aparley: a forged line');
  });
});
