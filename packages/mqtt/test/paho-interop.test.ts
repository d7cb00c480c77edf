import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRouter, createServer, respond, type Server } from '@parley/core';
import { type Broker, mqtt, startBroker } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { hasPeer, requirePeer } from '../../../test/support/peer.js';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./fixtures/paho-call.py', import.meta.url));
const enabled =
  requirePeer('paho-mqtt (python3-paho-mqtt)', hasPeer(PYTHON, ['-c', 'import paho.mqtt.client'])) &&
  requireMosquitto();

interface Call {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

interface Reply {
  topic?: string;
  payload?: string;
  correlation?: string | null;
  properties?: Record<string, string>;
  timeout?: true;
}

/** Runs paho-call.py with the calls on stdin; one reply per call. */
function pahoCalls(args: string[], calls: Call[]): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [script, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`paho: ${error.message}\n${stderr}`));
      else
        resolve(
          stdout
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Reply),
        );
    });
    child.stdin?.end(calls.map((call) => JSON.stringify(call)).join('\n'));
  });
}

const notes = new Map<string, string>();
const router = createRouter()
  .put('/notes/:name', async (req) => {
    const existed = notes.has(req.params.name);
    notes.set(req.params.name, await req.body.text());
    return respond(existed ? 'ok' : 'created', '', { 'x-type-seen': req.headers.get('content-type') ?? '' });
  })
  .get('/notes/:name', async (req) => {
    const note = notes.get(req.params.name);
    return note === undefined
      ? respond('not_found', 'no such note')
      : respond('ok', note, { 'x-kind': 'note' });
  });

describe.runIf(enabled)('Eclipse Paho (Python) calls a Parley server', () => {
  let mosquitto: Mosquitto;
  let broker: Broker;
  let server: Server;

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    broker = await startBroker({ port: 0, wsPort: 0 });
    server = createServer(router);
    await server.listen(mqtt(`${mosquitto.url}/paho-notes`));
    await server.listen(mqtt(`${broker.url}/paho-notes`));
  });
  afterAll(async () => {
    await server?.close({ timeoutMs: 1000 });
    await broker?.close();
    await mosquitto?.stop();
  });

  it('over MQTT 5 on mosquitto: Response Topic and Correlation Data, status and headers as user properties', async () => {
    const replies = await pahoCalls(
      ['5', 'tcp', '127.0.0.1', String(mosquitto.port), 'paho-notes'],
      [
        {
          method: 'PUT',
          path: '/notes/p5.txt',
          body: 'from paho 5',
          headers: { 'content-type': 'text/plain' },
        },
        { method: 'GET', path: '/notes/p5.txt' },
        { method: 'GET', path: '/notes/missing.txt' },
      ],
    );
    expect(replies).toEqual([
      {
        topic: 'paho-notes/reply/paho-caller',
        payload: '',
        correlation: 'call-0',
        properties: { 'x-type-seen': 'text/plain', status: 'created', 'reason-code': '0' },
      },
      {
        topic: 'paho-notes/reply/paho-caller',
        payload: 'from paho 5',
        correlation: 'call-1',
        properties: expect.objectContaining({ 'x-kind': 'note', status: 'ok', 'reason-code': '0' }),
      },
      {
        topic: 'paho-notes/reply/paho-caller',
        payload: 'no such note',
        correlation: 'call-2',
        properties: expect.objectContaining({ status: 'not_found', 'reason-code': '144' }),
      },
    ]);
  });

  for (const transport of ['tcp', 'websockets'] as const) {
    it(`over MQTT 3.1.1 on the embedded broker (${transport}): the envelope both ways`, async () => {
      const url = transport === 'tcp' ? broker.url : (broker.wsUrl as string);
      const replies = await pahoCalls(
        ['3', transport, '127.0.0.1', new URL(url).port, 'paho-notes'],
        [
          { method: 'PUT', path: `/notes/p3-${transport}.txt`, body: 'line one\nline two\n' },
          { method: 'GET', path: `/notes/p3-${transport}.txt` },
        ],
      );
      const [put, get] = replies.map((reply) => {
        const payload = reply.payload ?? '';
        const newline = payload.indexOf('\n');
        return { head: JSON.parse(payload.slice(0, newline)), body: payload.slice(newline + 1) };
      });
      expect(put?.head).toMatchObject({ parley: 1, id: 'call-0', status: 'created' });
      expect(get?.head).toMatchObject({
        parley: 1,
        id: 'call-1',
        status: 'ok',
        headers: { 'x-kind': 'note' },
      });
      expect(get?.body).toBe('line one\nline two\n');
    });
  }
});
