import { createClient, createRouter, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { gate } from '../../../test/support/gate.js';
import { serveEach } from './helpers.js';

const serve = serveEach();

describe('uploads on one connection whose handlers do not read them yet', () => {
  it('are held up to 16 MiB in all: past it the request holding the most is refused, the others are served whole', async () => {
    const held = gate();
    // Every handler waits (as on a lock another request holds) before it reads its body.
    const { url } = await serve(
      createRouter().put('/*', async (request) => {
        await held.opened;
        return respond('ok', `${(await request.body.bytes()).byteLength}`);
      }),
    );
    const client = createClient(ws(url));
    try {
      const body = new Uint8Array(1024 * 1024);
      let refused = 0;
      const answers = Array.from({ length: 24 }, async (_, i) => {
        const response = await client.put(`/upload/${i}`, body);
        if (response.status === 'too_many_requests') refused++;
        return { status: response.status, text: await response.body.text() };
      });
      // 24 MiB sent, one 1 MiB window each: 8 MiB over what the connection may hold unread.
      await eventually(() => refused >= 1, { what: 'a refused upload' });
      held.open();
      const results = await Promise.all(answers);
      const served = results.filter((result) => result.status === 'ok');
      expect(served.length + refused).toBe(24);
      expect(served.length).toBeGreaterThanOrEqual(15);
      for (const result of served) expect(result.text).toBe(String(body.byteLength));
      for (const result of results.filter((each) => each.status !== 'ok')) {
        expect(result).toMatchObject({ status: 'too_many_requests', text: expect.stringMatching(/unread/) });
      }
    } finally {
      held.open();
      await client.close();
    }
  });
});
