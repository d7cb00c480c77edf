import { createClient, createRouter, createServer, passwordTable, respond, type Server } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt, startBroker } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** User names and passwords holding URL delimiters, percent-encoded in the URL. */
const logins: [string, string][] = [
  ['a@b', 'p:w'],
  ['user', 'p@ss/w?rd#1%'],
  ['ünïcode', 'pässwörd'],
  ['sp ace', ' lead and trail '],
];

const seen: string[] = [];
let server: Server;
const urls: Record<string, string> = {};
let closeBroker: () => Promise<void>;

beforeAll(async () => {
  server = createServer(
    createRouter()
      .get('/whoami', async (request) => {
        seen.push(request.peer.principal?.name ?? '');
        return respond('ok');
      })
      .post('/whoami', async (request) => {
        seen.push(request.peer.principal?.name ?? '');
        return respond('ok');
      }),
    { authenticate: passwordTable(Object.fromEntries(logins)) },
  );
  const broker = await startBroker({ port: 0, authenticate: passwordTable(Object.fromEntries(logins)) });
  closeBroker = () => broker.close();
  urls.http = (await server.listen(http('http://127.0.0.1:0'))).url;
  urls.ftp = (await server.listen(ftp('ftp://127.0.0.1:0'))).url;
  urls.smtp = (
    await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0, allowInsecureAuth: true }))
  ).url;
  urls.ws = (await server.listen(ws('ws://127.0.0.1:0/parley'))).url;
  const serviceUrl = new URL(`${broker.url}/creds`);
  serviceUrl.username = encodeURIComponent(logins[0]?.[0] ?? '');
  serviceUrl.password = encodeURIComponent(logins[0]?.[1] ?? '');
  await server.listen(mqtt(serviceUrl.href));
  urls.mqtt = `${broker.url}/creds`;
});
afterAll(async () => {
  await server.close({ timeoutMs: 1000 });
  await closeBroker();
});

const makers = { http, ftp, smtp, ws, mqtt } as const;

describe('percent-encoded credentials in a URL reach authenticate decoded, over every transport', () => {
  for (const name of Object.keys(makers) as (keyof typeof makers)[]) {
    it.each(logins)(`${name}: %s`, async (user, password) => {
      const url = new URL(urls[name] ?? '');
      url.username = encodeURIComponent(user);
      url.password = encodeURIComponent(password);
      seen.length = 0;
      await using client = createClient(makers[name](url.href), { retries: 0, timeoutMs: 5000 });
      const response = await client.request(name === 'smtp' ? 'POST' : 'GET', '/whoami', {
        body: name === 'smtp' ? 'x' : undefined,
      });
      await response.body.cancel();
      expect(response.status).toBe('ok');
      if (name !== 'mqtt') expect(seen).toEqual([user]);
    });
  }
});
