import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CloseIgnoringWsServer,
  startCloseIgnoringWsServer,
} from '../../../test/support/close-ignoring-ws-server.js';
import { decodeFrame, encodeHeadFrame, FRAME } from '../../ws/src/wire/frame.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

let server: CloseIgnoringWsServer;
beforeAll(async () => {
  buildParley();
  server = await startCloseIgnoringWsServer((message) => {
    const frame = decodeFrame(new Uint8Array(message));
    if (frame.type !== FRAME.HEADERS) return undefined;
    return encodeHeadFrame(FRAME.HEADERS, frame.id, { status: 'ok' }, 'hello', true);
  });
}, BUILD_TIMEOUT_MS);
afterAll(() => server?.close());

describe('parley over WebSocket to a server that never answers the close frame', () => {
  it('prints the answer and ends, without waiting 30 s for the close frame', async () => {
    const result = await parley([`${server.url}/a.txt`]);
    expect(result).toMatchObject({ code: 0, stdout: 'hello' });
    await server.cut;
    // A command that leaves the connection to ws's own 30 s close timeout fails on the test's timeout.
  }, 15_000);
});
