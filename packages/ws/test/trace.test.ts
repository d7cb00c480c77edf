import { createClient, createRouter, formatTraceEvent, respond, type TraceEvent } from '@parley/core';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

const serve = serveEach();

describe('tracing a WebSocket client', () => {
  it('emits the connection and each frame sent and received, one line each', async () => {
    const router = createRouter()
      .put('/notes/:name', async (request) => respond('created', await request.body.text()))
      .get('/notes/:name', async () => respond('ok', 'hello'));
    const { url } = await serve(router);
    const events: TraceEvent[] = [];
    const client = createClient(ws(url), { trace: (event) => events.push(event) });
    expect((await client.put('/notes/a.txt', 'hi there')).status).toBe('created');
    expect(await (await client.get('/notes/a.txt')).body.text()).toBe('hello');
    await client.close();
    const lines = events.map(formatTraceEvent);
    expect(lines[0]).toBe(`* ws connected to ${new URL(url).host}`);
    expect(lines.slice(1, 5)).toEqual(
      expect.arrayContaining([
        '> ws HEADERS id=1 PUT /notes/a.txt body=8B END',
        '< ws HEADERS id=1 created body=8B END',
        '> ws HEADERS id=2 GET /notes/a.txt body=0B END',
        '< ws HEADERS id=2 ok body=5B END',
      ]),
    );
    expect(events.every((event) => event.protocol === 'ws' && event.side === 'client')).toBe(true);
    expect(events.find((event) => event.direction === 'send')?.bytes).toBeGreaterThan(0);
  });

  it('traces nothing, and wraps nothing, without a trace hook', async () => {
    const { url } = await serve(createRouter().get('/a', async () => respond('ok', 'a')));
    await using client = createClient(ws(url));
    expect((await client.get('/a')).status).toBe('ok');
  });
});
