import { createClient, createRouter, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { gate } from '../../../test/support/gate.js';
import { serveEach } from './helpers.js';

const serve = serveEach();

describe('uploads on many connections whose handlers do not read them yet', () => {
  it('are held up to maxUnreadBodyBytesPerAddress from one address: past it a request is refused, the others are served whole', async () => {
    const held = gate();
    const { url } = await serve(
      createRouter().put('/*', async (request) => {
        await held.opened;
        return respond('ok', `${(await request.body.bytes()).byteLength}`);
      }),
      { maxUnreadBodyBytesPerAddress: 4 * 1024 * 1024 },
    );
    // Four connections, each far below its own 16 MiB: 8 MiB in all, 4 MiB over the address's room.
    const clients = Array.from({ length: 4 }, () => createClient(ws(url)));
    try {
      const body = new Uint8Array(1024 * 1024);
      let refused = 0;
      const answers = clients.flatMap((client, c) =>
        [0, 1].map(async (i) => {
          const response = await client.put(`/upload/${c}/${i}`, body);
          if (response.status === 'too_many_requests') refused++;
          return { status: response.status, text: await response.body.text() };
        }),
      );
      await eventually(() => refused >= 1, { what: 'a refused upload' });
      held.open();
      const results = await Promise.all(answers);
      const served = results.filter((result) => result.status === 'ok');
      expect(served.length + refused).toBe(8);
      expect(served.length).toBeGreaterThanOrEqual(3);
      for (const result of served) expect(result.text).toBe(String(body.byteLength));
      for (const result of results.filter((each) => each.status !== 'ok')) {
        expect(result).toMatchObject({ status: 'too_many_requests', text: expect.stringMatching(/unread/) });
      }
    } finally {
      held.open();
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('give their room back once read: the same uploads again are all served', async () => {
    const { url } = await serve(
      createRouter().put('/*', async (request) =>
        respond('ok', `${(await request.body.bytes()).byteLength}`),
      ),
      { maxUnreadBodyBytesPerAddress: 2 * 1024 * 1024 },
    );
    const client = createClient(ws(url));
    try {
      const body = new Uint8Array(1024 * 1024);
      for (let round = 0; round < 8; round++) {
        const response = await client.put(`/upload/${round}`, body);
        expect(response.status).toBe('ok');
        expect(await response.body.text()).toBe(String(body.byteLength));
      }
    } finally {
      await client.close();
    }
  });
});
