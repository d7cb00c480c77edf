import { createClient, createRouter } from '@parley/core';
import { FRAME, ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { eventsUntil } from '../../../test/support/events-until.js';
import { encodeHeadFrame } from '../src/wire/frame.js';
import { serveEach } from './helpers.js';

const serve = serveEach();

describe('a server that relays no events from clients (relayClientEvents: false)', () => {
  it('closes a connection that publishes one (1008) and hands subscribers only its own events', async () => {
    const { server, url } = await serve(createRouter(), { relayClientEvents: false });
    await using watcher = createClient(ws(url));
    const done = eventsUntil(watcher, '/notes/*', '/notes/last');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const publisher = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((resolve, reject) => publisher.once('open', resolve).once('error', reject));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      publisher.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    publisher.send(encodeHeadFrame(FRAME.EVENT, 0, { path: '/notes/forged', headers: [] }, 'forged'));
    expect(await closed).toEqual({ code: 1008, reason: 'This server does not take events from clients' });

    await server.publish('/notes/last', 'from the server');
    expect(await done).toEqual(['/notes/last from the server']);
  });
});
