import type { AddressInfo } from 'node:net';
import { createClient, createRouter, ParleyError, respond } from '@parley/core';
import { FRAME, ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { eventually } from '../../../test/support/eventually.js';
import { decodeFrame, decodeHeadPayload, encodeData, encodeHeadFrame } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const encoder = new TextEncoder();
const open: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A WebSocket server Parley did not write: it answers each request with `reply(id, socket)`. */
async function fakeServer(reply: (id: number, socket: WebSocket) => void): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/parley' });
  open.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const frame = decodeFrame(new Uint8Array(data));
      if (frame.type === FRAME.HEADERS) reply(frame.id, socket);
    });
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/parley`;
}

const head = (length: number) => ({ status: 'ok', headers: { 'content-length': String(length) } });

/** What reading a body ends with: its text, or the ParleyError's status and message. */
async function outcome(read: Promise<string>): Promise<string> {
  return read.then(
    (text) => `read: ${text}`,
    (error: unknown) =>
      error instanceof ParleyError
        ? `${error.status}: ${error.message}`
        : `not a ParleyError: ${String(error)}`,
  );
}

describe('a response body that does not match its content-length', () => {
  it('fails the call when a whole response in one frame is shorter than declared', async () => {
    const url = await fakeServer((id, socket) =>
      socket.send(encodeHeadFrame(FRAME.HEADERS, id, head(100), encoder.encode('hello'), true)),
    );
    await using client = createClient(ws(url));
    expect(await outcome(client.get('/a.txt').then((r) => r.body.text()))).toBe(
      'unavailable: The response body ended after 5 of its 100 bytes (content-length)',
    );
  });

  it('fails the body read when a streamed body ends short', async () => {
    const url = await fakeServer((id, socket) => {
      socket.send(encodeHeadFrame(FRAME.HEADERS, id, head(100), encoder.encode('hello'), false));
      socket.send(encodeData(id, encoder.encode(' world'), false));
      socket.send(encodeData(id, new Uint8Array(0), true));
    });
    await using client = createClient(ws(url));
    const response = await client.get('/a.txt');
    expect(response.status).toBe('ok');
    expect(await outcome(response.body.text())).toBe(
      'unavailable: The response body ended after 11 of its 100 bytes (content-length)',
    );
  });

  it('fails the body read, and cancels the stream, when a streamed body goes past it', async () => {
    const cancelled: number[] = [];
    const url = await fakeServer((id, socket) => {
      socket.on('message', (data: Buffer) => {
        const frame = decodeFrame(new Uint8Array(data));
        if (frame.type === FRAME.CANCEL) cancelled.push(frame.id);
      });
      socket.send(encodeHeadFrame(FRAME.HEADERS, id, head(4), encoder.encode('hel'), false));
      socket.send(encodeData(id, encoder.encode('lo, and more'), false));
    });
    await using client = createClient(ws(url));
    const response = await client.get('/a.txt');
    expect(await outcome(response.body.text())).toBe(
      'unavailable: The response body is longer than its content-length of 4 bytes',
    );
    await eventually(() => cancelled.length === 1);
  });

  it('still reads a body that matches, and one without a content-length', async () => {
    let declare = true;
    const url = await fakeServer((id, socket) => {
      const fields = declare ? head(11) : { status: 'ok' };
      socket.send(encodeHeadFrame(FRAME.HEADERS, id, fields, encoder.encode('hello'), false));
      socket.send(encodeData(id, encoder.encode(' world'), true));
    });
    await using client = createClient(ws(url));
    expect(await outcome(client.get('/a.txt').then((r) => r.body.text()))).toBe('read: hello world');
    declare = false;
    expect(await outcome(client.get('/a.txt').then((r) => r.body.text()))).toBe('read: hello world');
  });
});

describe('a request body that does not match its content-length', () => {
  const serve = serveEach();
  const echo = () => {
    const seen: string[] = [];
    const router = createRouter().put('/*', async (request) => {
      const text = await outcome(request.body.text());
      seen.push(text);
      return text.startsWith('read') ? respond('ok', text) : respond('bad_request', text);
    });
    return { seen, router };
  };

  /** The status and body of the response on stream `id` among raw frames. */
  function answerOn(frames: Uint8Array[], id: number): { head: unknown; text: string } | undefined {
    const frame = frames
      .map((bytes) => decodeFrame(bytes))
      .find((each) => each.id === id && each.type === FRAME.HEADERS);
    if (frame === undefined) return undefined;
    const { head: answered, body } = decodeHeadPayload(frame.payload);
    return { head: answered, text: new TextDecoder().decode(body) };
  }

  it('answers a whole request shorter than declared with bad_request, without calling the handler', async () => {
    const { seen, router } = echo();
    const { url } = await serve(router);
    const { socket, frames } = await rawSocket(url);
    const fields = { method: 'PUT', path: '/a.txt', headers: { 'content-length': '100' } };
    socket.send(encodeHeadFrame(FRAME.HEADERS, 1, fields, encoder.encode('hello'), true));
    await eventually(() => answerOn(frames, 1) !== undefined);
    expect(answerOn(frames, 1)).toEqual({
      head: { status: 'bad_request' },
      text: 'The request body ended after 5 of its 100 bytes (content-length)',
    });
    expect(seen).toEqual([]);
    socket.close();
  });

  it.each([
    [
      'ends short',
      ['hello', ' world'],
      'bad_request: The request body ended after 11 of its 100 bytes (content-length)',
      100,
    ],
    [
      'goes past it',
      ['hello', ' world'],
      'bad_request: The request body is longer than its content-length of 8 bytes',
      8,
    ],
  ])('fails the handler’s read when a streamed body %s', async (_, chunks, expected, declared) => {
    const { seen, router } = echo();
    const { url } = await serve(router);
    const { socket, frames } = await rawSocket(url);
    const fields = { method: 'PUT', path: '/a.txt', headers: { 'content-length': String(declared) } };
    socket.send(encodeHeadFrame(FRAME.HEADERS, 1, fields, encoder.encode(chunks[0] as string), false));
    socket.send(encodeData(1, encoder.encode(chunks[1] as string), true));
    await eventually(() => answerOn(frames, 1) !== undefined);
    expect(seen).toEqual([expected]);
    expect(answerOn(frames, 1)?.head).toEqual({ status: 'bad_request' });
    socket.close();
  });
});
