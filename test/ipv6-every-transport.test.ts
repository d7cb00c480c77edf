import { createClient, createRouter, createServer, type Request, respond, type Server } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt, startBroker } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, describe, expect, it } from 'vitest';

const seen: string[] = [];
const record = async (request: Request) => {
  seen.push(`${request.method} ${request.path} ${request.peer.address ?? ''}`);
  return respond('ok', 'hello');
};
const router = createRouter()
  .get('/notes/:name', record)
  .post('/notes/:name', record)
  .put('/notes/:name', record);

const makers = {
  http: (url: string) => http(url),
  ftp: (url: string) => ftp(url),
  smtp: (url: string) => smtp(url, { earlyTalkerDelayMs: 0 }),
  ws: (url: string) => ws(url),
};

for (const host of ['[::1]', '[::]']) {
  describe(`every transport listening on ${host}, its clients to [::1]`, () => {
    const servers: Server[] = [];
    const closers: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const server of servers) await server.close({ timeoutMs: 1000 });
      for (const close of closers) await close();
    });

    it.each([
      ['http', 'http://HOST:0'],
      ['ftp', 'ftp://HOST:0'],
      ['smtp', 'smtp://HOST:0'],
      ['ws', 'ws://HOST:0/parley'],
    ] as const)('%s', async (name, template) => {
      const server = createServer(router);
      servers.push(server);
      const make = makers[name];
      const listener = await server.listen(make(template.replace('HOST', host)));
      expect(listener.url).toContain(host);
      await using client = createClient(make(listener.url.replace('[::]', '[::1]')), { retries: 0 });
      seen.length = 0;
      const method = name === 'smtp' ? 'POST' : 'GET';
      const response = await client.request(method, '/notes/a.txt', {
        body: method === 'POST' ? 'x' : undefined,
      });
      await response.body.cancel();
      expect(response.status).toBe('ok');
      expect(seen).toEqual([`${method} /notes/a.txt ::1`]);
      if (name === 'ftp') expect((await client.put('/notes/b.txt', 'hello')).status).toBe('ok');
    });

    it('mqtt, with the broker on the same address', async () => {
      const broker = await startBroker({ port: 0, host: host.slice(1, -1) });
      closers.push(() => broker.close());
      const url = `${broker.url.replace('[::]', '[::1]')}/v6`;
      expect(url).toMatch(/^mqtt:\/\/\[::1\]:\d+\/v6$/);
      const server = createServer(router);
      servers.push(server);
      await server.listen(mqtt(url));
      await using client = createClient(mqtt(url), { retries: 0 });
      const response = await client.get('/notes/a.txt');
      expect(response.status).toBe('ok');
      expect(await response.body.text()).toBe('hello');
    });
  });
}
