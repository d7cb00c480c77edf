import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Client, createClient, readListing } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService, withLogin } from './helpers.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('the notes service over its five protocols', () => {
  let service: TestService;
  const clients: Client[] = [];
  const open = (client: Client): Client => {
    clients.push(client);
    return client;
  };
  let overHttp: Client;
  let overFtp: Client;
  let overSmtp: Client;
  let overMqtt: Client;
  let overWs: Client;

  beforeAll(async () => {
    service = await startTestService();
    overHttp = open(createClient(http(service.urls.http)));
    overFtp = open(createClient(ftp(withLogin(service.urls.ftp))));
    overSmtp = open(createClient(smtp(service.urls.smtp)));
    overMqtt = open(createClient(mqtt(service.urls.mqtt)));
    overWs = open(createClient(ws(service.urls.ws ?? '')));
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await service?.stop();
  });

  it('reads over FTP and MQTT a note put over HTTP, and stores it on disk', async () => {
    expect((await overHttp.put('/notes/shared.txt', 'written over http')).status).toBe('created');
    expect(await readFile(join(service.dataDir, 'shared.txt'), 'utf8')).toBe('written over http');
    const viaFtp = await overFtp.get('/notes/shared.txt');
    const ftpText = await viaFtp.body.text();
    expect(viaFtp.status, `${ftpText}\n${service.log.join('\n')}`).toBe('ok');
    expect(ftpText).toBe('written over http');
    const viaMqtt = await overMqtt.get('/notes/shared.txt');
    expect(viaMqtt.status).toBe('ok');
    expect(await viaMqtt.body.text()).toBe('written over http');
  });

  it('makes a mail into a note read over the other protocols', async () => {
    const mailed = await overSmtp.post('/notes', 'hi from a mail', { headers: { subject: 'mailed.txt' } });
    expect(mailed.status).toBe('ok'); // SMTP acknowledges with 250 whether created or not
    expect(await (await overHttp.get('/notes/mailed.txt')).body.text()).toBe('hi from a mail\n');
    expect(await (await overMqtt.get('/notes/mailed.txt')).body.text()).toBe('hi from a mail\n');
    const appended = await overSmtp.post('/notes/mailed.txt', 'and more');
    expect(appended.status).toBe('ok');
    expect(await (await overFtp.get('/notes/mailed.txt')).body.text()).toBe('hi from a mail\nand more\n');
  });

  it('puts over FTP and MQTT, lists and heads over each, deletes over MQTT', async () => {
    expect((await overFtp.put('/notes/by-ftp.txt', 'ftp')).status).toMatch(/^(created|ok)$/);
    expect((await overMqtt.put('/notes/by-mqtt.txt', 'mqtt!')).status).toBe('created');
    for (const client of [overHttp, overFtp, overMqtt]) {
      const names = (await readListing(await client.list('/notes/'))).map((entry) => entry.name);
      expect(names).toEqual(expect.arrayContaining(['by-ftp.txt', 'by-mqtt.txt']));
      const head = await client.head('/notes/by-mqtt.txt');
      expect(head.status).toBe('ok');
    }
    expect((await overMqtt.delete('/notes/by-mqtt.txt')).status).toMatch(/^(no_content|ok)$/);
    expect((await overHttp.get('/notes/by-mqtt.txt')).status).toBe('not_found');
    expect((await overFtp.get('/notes/by-mqtt.txt')).status).toBe('not_found');
  });

  it('keeps nothing of an HTTP upload the client aborts midway', async () => {
    const stop = new AbortController();
    let sent = (): void => {};
    const firstChunkSent = new Promise<void>((resolve) => {
      sent = resolve;
    });
    async function* halfUpload(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(64 * 1024).fill(1);
      sent();
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    const upload = overHttp.put('/notes/aborted.bin', halfUpload(), { signal: stop.signal }).catch((e) => e);
    await firstChunkSent;
    const entries = async () =>
      (await readdir(service.dataDir)).filter((name) => name.startsWith('.') || name === 'aborted.bin');
    // The upload's temporary file, beside the note's lock while the upload holds it.
    const uploading = async () => (await entries()).some((name) => name.startsWith('.upload-'));
    for (let i = 0; i < 2_000 && !(await uploading()); i++) await sleep(10);
    expect(await uploading()).toBe(true);
    stop.abort();
    expect(await upload).toMatchObject({ status: 'cancelled' });
    for (let i = 0; i < 2_000 && (await entries()).length > 0; i++) await sleep(10);
    expect(await entries()).toEqual([]);
    expect((await overHttp.get('/notes/aborted.bin')).status).toBe('not_found');
  });

  it('refuses a bad name the same way over every protocol', async () => {
    for (const client of [overHttp, overFtp, overMqtt]) {
      expect((await client.put('/notes/.secret', 'x')).status, client.contract.protocol).toBe('bad_request');
    }
    expect((await overSmtp.post('/notes/.secret', 'x')).status).toBe('bad_request');
  });

  it('publishes each change to MQTT subscribers', async () => {
    const stop = new AbortController();
    const events = overMqtt.subscribe('/notes/:name', { signal: stop.signal });
    const first = (async () => {
      for await (const event of events) return { path: event.path, change: await event.body.json() };
      return undefined;
    })();
    let seen = false;
    void first.then(() => {
      seen = true;
    });
    // The subscription takes a moment to reach the broker: write until the first event is seen.
    for (let i = 0; i < 50 && !seen; i++) {
      await overHttp.put('/notes/announced.txt', 'news');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await first).toEqual({
      path: '/notes/announced.txt',
      change: expect.objectContaining({ name: 'announced.txt', size: 4, protocol: 'http' }),
    });
    stop.abort();
  });

  it('serves WebSocket on the HTTP port at /parley: PUT, GET, DELETE and change events', async () => {
    expect(service.urls.ws).toBe(`${service.urls.http.replace(/^http/, 'ws').replace(/\/$/, '')}/parley`);
    const stop = new AbortController();
    const events = overWs.subscribe('/notes/:name', { signal: stop.signal });
    const changes: unknown[] = [];
    const collected = (async () => {
      for await (const event of events) {
        changes.push(await event.body.json());
        if (changes.length === 2) return;
      }
    })();
    // Sent after the SUBSCRIBE frame on the same connection, so the subscription is in place.
    expect((await overWs.get('/notes/over-ws.txt')).status).toBe('not_found');
    expect((await overWs.put('/notes/over-ws.txt', 'over a WebSocket')).status).toBe('created');
    expect(await (await overHttp.get('/notes/over-ws.txt')).body.text()).toBe('over a WebSocket');
    const read = await overWs.get('/notes/over-ws.txt');
    expect(read.status).toBe('ok');
    expect(await read.body.text()).toBe('over a WebSocket');
    expect((await overWs.delete('/notes/over-ws.txt')).status).toBe('no_content');
    expect((await overMqtt.get('/notes/over-ws.txt')).status).toBe('not_found');
    await collected;
    stop.abort();
    const change = { name: 'over-ws.txt', protocol: 'ws', peer: expect.stringMatching(/^127\.0\.0\.1/) };
    expect(changes).toEqual([
      expect.objectContaining({ ...change, type: 'created', size: 16, status: 'created' }),
      expect.objectContaining({ ...change, type: 'deleted', size: 0, status: 'no_content' }),
    ]);
    expect(service.log.join('\n')).toMatch(/ ws PUT \/notes\/over-ws\.txt created \d+\.\dms/);
  });

  it('asks FTP clients for the login even though the other protocols are open', async () => {
    await using wrong = createClient(ftp(withLogin(service.urls.ftp, 'demo', 'wrong')), { retries: 0 });
    const refused = await wrong.get('/notes/shared.txt').catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 'unauthenticated' });
    expect((await overHttp.get('/notes/shared.txt')).status).toBe('ok');
  });

  it('logs one line per request with protocol, method, path, status and duration', () => {
    const lines = service.log.join('\n');
    expect(lines).toMatch(/ http PUT \/notes\/shared\.txt created \d+\.\dms/);
    expect(lines).toMatch(/ ftp GET \/notes\/shared\.txt ok \d+\.\dms user=demo/);
    expect(lines).toMatch(/ smtp POST \/notes created \d+\.\dms/);
    expect(lines).toMatch(/ mqtt GET \/notes\/shared\.txt ok \d+\.\dms/);
  });
});

describe('the notes service with PARLEY_REQUIRE_AUTH=1', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      PARLEY_REQUIRE_AUTH: '1',
      PARLEY_USER: 'alice',
      PARLEY_PASSWORD: 's3cret',
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('asks every protocol for the same login', async () => {
    await using anonymous = createClient(http(service.urls.http));
    expect((await anonymous.get('/notes/')).status).toBe('unauthenticated');
    await using alice = createClient(http(withLogin(service.urls.http, 'alice', 's3cret')));
    expect((await alice.put('/notes/private.txt', 'mine')).status).toBe('created');

    await using overFtp = createClient(ftp(withLogin(service.urls.ftp, 'alice', 's3cret')));
    expect(await (await overFtp.get('/notes/private.txt')).body.text()).toBe('mine');

    await using overSmtp = createClient(smtp(withLogin(service.urls.smtp, 'alice', 's3cret')));
    expect((await overSmtp.post('/notes/private.txt', 'and a mail')).status).toBe('ok');
    await using strangerSmtp = createClient(smtp(service.urls.smtp));
    const strangerMail = await strangerSmtp
      .post('/notes/private.txt', 'spam')
      .catch((error: unknown) => error);
    expect(strangerMail).toMatchObject({ status: 'unauthenticated' });

    await using overMqtt = createClient(mqtt(withLogin(service.urls.mqtt, 'alice', 's3cret')));
    expect(await (await overMqtt.get('/notes/private.txt')).body.text()).toBe('mineand a mail\n');
    await using overWs = createClient(ws(withLogin(service.urls.ws ?? '', 'alice', 's3cret')));
    expect(await (await overWs.get('/notes/private.txt')).body.text()).toBe('mineand a mail\n');
    await using strangerWs = createClient(ws(service.urls.ws ?? ''), { retries: 0 });
    const strangerSocket = await strangerWs.get('/notes/private.txt').then(
      (response) => response.status,
      (error: { status?: string }) => error.status,
    );
    expect(strangerSocket).toBe('unauthenticated');

    await using strangerMqtt = createClient(mqtt(service.urls.mqtt), { retries: 0, timeoutMs: 5_000 });
    const strangerRequest = await strangerMqtt.get('/notes/private.txt').then(
      (response) => response.status,
      (error: { status?: string }) => error.status,
    );
    expect(strangerRequest).toBe('unauthenticated');
  });
});

describe('the notes service shutting down', () => {
  it("ends the live pages' event streams, then closes", async () => {
    const service = await startTestService({ PARLEY_DATA_DIR: ':memory:' });
    await using client = createClient(http(service.urls.http), { timeoutMs: 60_000 });
    await client.put('/notes/kept-in-memory.txt', 'not on disk');
    const events = await client.get('/events');
    const reader = events.body[Symbol.asyncIterator]();
    await reader.next();
    expect(service.feed.readers).toBe(1);
    const closing = service.stop();
    expect((await reader.next()).done).toBe(true);
    await closing;
    expect(service.feed.readers).toBe(0);
  });
});
