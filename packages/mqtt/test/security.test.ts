import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createClient,
  createRouter,
  createServer,
  type ParleyError,
  passwordTable,
  respond,
} from '@parley/core';
import { throttledError } from '@parley/core/transport';
import { type Broker, mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { publishUntilAnswered, sleep, subscribe } from './fixtures/tools.js';

const run = promisify(execFile);
const enabled = requireMosquitto();

/** A notes service that stores bodies as they come, and the messages it was told it refused. */
function notesService() {
  const stored = new Map<string, Buffer>();
  const refused: { error: ParleyError; topic: string }[] = [];
  const router = createRouter()
    .put('/notes/:name', async (request) => {
      stored.set(request.params.name, Buffer.from(await request.body.bytes()));
      return respond('created', `stored ${request.params.name}`);
    })
    .get('/whoami', async (request) => respond('ok', request.peer.principal?.name ?? 'anonymous'));
  const onMessageError = (error: ParleyError, topic: string) => refused.push({ error, topic });
  return { router, stored, refused, onMessageError };
}

const JSON_FILE = '{\n "a": 1\n}\n';

/** The exact reproduction: `mosquitto_pub -t <prefix>/PUT/notes/p.json -f p.json`, answered on the plain reply topic. */
async function putJsonFile(port: number, prefix: string, version: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-json-'));
  try {
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON_FILE);
    const reply = subscribe(['-p', String(port), '-V', version, '-t', `${prefix}/reply/PUT/notes/p.json`]);
    reply.child.stdout?.once('data', () => reply.child.kill());
    return await publishUntilAnswered(reply.output, () =>
      run('mosquitto_pub', ['-p', String(port), '-t', `${prefix}/PUT/notes/p.json`, '-f', file]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Publishes a malformed envelope with `mosquitto_pub` until the bad_request reply comes on the plain reply topic. */
async function publishMalformed(port: number, prefix: string): Promise<string> {
  const reply = subscribe(['-p', String(port), '-V', '311', '-t', `${prefix}/reply/PUT/notes/bad.txt`]);
  reply.child.stdout?.once('data', () => reply.child.kill());
  const envelope = '{"parley":1,"replyTo":"x","deadline":"tomorrow"}\nbody';
  return publishUntilAnswered(reply.output, () =>
    run('mosquitto_pub', [
      '-p',
      String(port),
      '-V',
      '311',
      '-t',
      `${prefix}/PUT/notes/bad.txt`,
      '-m',
      envelope,
    ]),
  );
}

describe.runIf(enabled)('a JSON body is a body, not an envelope', () => {
  it('on the embedded broker: mosquitto_pub -f p.json is stored as-is and answered on the plain reply topic', async () => {
    const broker = await startBroker({ port: 0 });
    const { router, stored, refused, onMessageError } = notesService();
    const server = createServer(router);
    try {
      await server.listen(mqtt(`${broker.url}/json-aedes`, { onMessageError }));
      const port = Number(new URL(broker.url).port);
      expect(await putJsonFile(port, 'json-aedes', '311')).toBe('stored p.json');
      expect(stored.get('p.json')?.toString()).toBe(JSON_FILE);
      expect(await publishMalformed(port, 'json-aedes')).toMatch(/envelope field "deadline" is malformed/);
      expect(refused[0]?.error.status).toBe('bad_request');
      expect(refused[0]?.topic).toBe('json-aedes/PUT/notes/bad.txt');
      expect(stored.has('bad.txt')).toBe(false);
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });

  it('on mosquitto (MQTT 5 server, 3.1.1 tools): the same', async () => {
    const broker = await startMosquitto();
    const { router, stored, refused, onMessageError } = notesService();
    const server = createServer(router);
    try {
      await server.listen(mqtt(`${broker.url}/json-mosq`, { onMessageError }));
      expect(await putJsonFile(broker.port, 'json-mosq', '311')).toBe('stored p.json');
      expect(await putJsonFile(broker.port, 'json-mosq', '5')).toBe('stored p.json');
      expect(stored.get('p.json')?.toString()).toBe(JSON_FILE);
      expect(await publishMalformed(broker.port, 'json-mosq')).toMatch(/malformed/);
      expect(refused.map((entry) => entry.error.status)).toContain('bad_request');
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.stop();
    }
  });
});

/** The CONNACK return code a 3.1.1 CONNECT gets (0: accepted). */
async function connackCode(url: string, username: string, password: string): Promise<number> {
  try {
    const client = await mqttjs.connectAsync(url, {
      protocolVersion: 4,
      username,
      password,
      reconnectPeriod: 0,
    });
    await client.endAsync();
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('CONNECT authentication on the embedded broker', () => {
  it('refuses wrong credentials with CONNACK 4, a throttled address with CONNACK 3 (hook throwing throttledError)', async () => {
    const broker = await startBroker({
      port: 0,
      authenticate: async (credentials) => {
        if (credentials.kind === 'password' && credentials.password === 'slow') throw throttledError(5000);
        return credentials.kind === 'password' && credentials.password === 's3cret'
          ? { name: 'alice' }
          : null;
      },
      authThrottle: false,
    });
    try {
      expect(await connackCode(broker.url, 'alice', 's3cret')).toBe(0);
      expect(await connackCode(broker.url, 'alice', 'wrong')).toBe(4);
      expect(await connackCode(broker.url, 'alice', 'slow')).toBe(3);
    } finally {
      await broker.close();
    }
  });

  it("uses the server's hook and throttle: wrong passwords get 4, then the throttled address gets 3", async () => {
    const broker = await startBroker({ port: 0 });
    const server = createServer(notesService().router, {
      authenticate: passwordTable({ alice: 's3cret' }),
      authThrottle: { freeFailures: 2, baseDelayMs: 60_000 },
    });
    try {
      await server.listen(mqtt(`${broker.url}/throttled`));
      const codes: number[] = [];
      for (let attempt = 0; attempt < 5 && !codes.includes(3); attempt++)
        codes.push(await connackCode(broker.url, 'alice', 'wrong'));
      expect(codes).toEqual([4, 4, 4, 3]);
      expect(await connackCode(broker.url, 'alice', 's3cret')).toBe(3); // still waiting
      const client = createClient(mqtt(`mqtt://alice:wrong@${new URL(broker.url).host}/throttled`), {
        retries: 0,
      });
      await expect(client.get('/whoami')).rejects.toMatchObject({ status: 'unavailable' });
      await client.close();
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });
});

/** Subscribes to `#` with mosquitto_sub while `act` runs; what it saw. */
async function watchEverything(args: string[], act: () => Promise<void>): Promise<string> {
  const watcher = subscribe([...args, '-t', '#', '-v', '-W', '30']);
  await sleep(500); // let the subscription settle (the checks below prove it saw the traffic)
  try {
    await act();
    await sleep(300);
  } finally {
    watcher.child.kill();
  }
  return watcher.output;
}

const SECRET = 's3cret-Pw';
const hidden = [SECRET, Buffer.from(`alice:${SECRET}`).toString('base64'), 'authorization'];

describe.runIf(enabled)('credentials never travel in messages', () => {
  it("embedded broker: a # subscriber sees requests and anonymous clients' replies, but no credentials nor logged-in clients' replies", async () => {
    const broker = await startBroker({ port: 0 });
    const server = createServer(notesService().router, { authenticate: passwordTable({ alice: SECRET }) });
    try {
      await server.listen(mqtt(`${broker.url}/private`));
      const port = new URL(broker.url).port;
      const seen = await watchEverything(['-p', port, '-V', '311'], async () => {
        await using client = createClient(mqtt(`mqtt://alice:${SECRET}@127.0.0.1:${port}/private`));
        expect(await (await client.get('/whoami')).body.text()).toBe('alice');
        expect((await client.put('/notes/n.txt', 'hello')).status).toBe('created');
        await using anonymous = createClient(mqtt(`${broker.url}/private`), { retries: 0 });
        expect((await anonymous.get('/whoami')).status).toBe('unauthenticated');
      });
      expect(seen).toContain('private/GET/whoami');
      expect(seen).toContain('hello');
      // Replies to a logged-in client reach that client alone; the anonymous one's are open.
      expect(seen).toContain('This server requires authentication');
      expect(seen).not.toMatch(/"status":"ok"/);
      for (const text of hidden) expect(seen).not.toContain(text);
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });

  describe('mosquitto with a password file', () => {
    let broker: Mosquitto;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'parley-passwd-'));
      chmodSync(dir, 0o755); // mosquitto reads it after dropping root
      const passwords = join(dir, 'passwd');
      writeFileSync(passwords, '', { mode: 0o644 });
      for (const [user, password] of [
        ['alice', SECRET],
        ['eve', 'eve-pw'],
        ['service', 'service-pw'],
      ])
        execFileSync('mosquitto_passwd', ['-b', passwords, user as string, password as string]);
      broker = await startMosquitto(['allow_anonymous false', `password_file ${passwords}`]);
    });
    afterAll(async () => {
      await broker?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a # subscriber (MQTT 5, user properties shown) sees no credentials; wrong ones are refused at CONNECT', async () => {
      const server = createServer(notesService().router, { authenticate: passwordTable({ alice: SECRET }) });
      const base = `127.0.0.1:${broker.port}/private5`;
      await expect(server.listen(mqtt(`mqtt://service:service-pw@${base}`))).rejects.toThrow(
        /brokerAuthenticates/,
      );
      await server.listen(mqtt(`mqtt://service:service-pw@${base}`, { brokerAuthenticates: true }));
      try {
        const seen = await watchEverything(
          ['-p', String(broker.port), '-V', '5', '-u', 'eve', '-P', 'eve-pw', '-F', '%t %j'],
          async () => {
            await using client = createClient(mqtt(`mqtt://alice:${SECRET}@${base}`));
            expect((await client.put('/notes/n.txt', 'hello')).status).toBe('created');
          },
        );
        expect(seen).toContain('private5/PUT/notes/n.txt');
        for (const text of hidden) expect(seen).not.toContain(text);
        await using wrong = createClient(mqtt(`mqtt://alice:nope@${base}`), { retries: 0 });
        // mosquitto 2 answers a wrong password with 0x87 Not authorized.
        const refusal = await wrong.get('/whoami').then(
          () => 'answered',
          (error: ParleyError) => error.status,
        );
        expect(['unauthenticated', 'forbidden']).toContain(refusal);
      } finally {
        await server.close({ timeoutMs: 1000 });
      }
    });
  });
});

/** The status of a WebSocket upgrade to `url` with `origin` (none when undefined): 101 or the refusal. */
function upgradeStatus(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
        'sec-websocket-protocol': 'mqtt',
        ...(origin === undefined ? {} : { origin }),
      },
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the WebSocket port checks Origin', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await startBroker({ port: 0, wsPort: 0, allowedOrigins: ['https://app.example'] });
  });
  afterAll(() => broker?.close());

  it('refuses a page of another site with 403, takes its own host, listed origins and no Origin', async () => {
    const url = (broker.wsUrl as string).replace('ws:', 'http:');
    const port = new URL(url).port;
    expect(await upgradeStatus(url, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(url, 'null')).toBe(403);
    expect(await upgradeStatus(url, `http://127.0.0.1:${port}`)).toBe(101);
    expect(await upgradeStatus(url, 'http://127.0.0.1:8080')).toBe(101);
    expect(await upgradeStatus(url, 'https://app.example')).toBe(101);
    expect(await upgradeStatus(url, undefined)).toBe(101);
  });

  it('an MQTT CONNECT over WebSocket works from the same host and without Origin, not from another site', async () => {
    const wsUrl = broker.wsUrl as string;
    /** Whether a CONNECT over WebSocket from a page of `origin` is accepted. */
    const connects = (origin?: string) =>
      new Promise<boolean>((resolve) => {
        const client = mqttjs.connect(wsUrl, {
          protocolVersion: 4,
          reconnectPeriod: 0,
          connectTimeout: 10_000,
          ...(origin === undefined ? {} : { wsOptions: { origin } }),
        });
        const settle = (accepted: boolean) => {
          client.end(true);
          resolve(accepted);
        };
        client.once('connect', () => settle(true));
        client.once('error', () => settle(false));
        client.once('close', () => settle(false));
      });
    expect(await connects()).toBe(true);
    expect(await connects(`http://127.0.0.1:${new URL(wsUrl).port}`)).toBe(true);
    expect(await connects('http://evil.example')).toBe(false);
  });
});
