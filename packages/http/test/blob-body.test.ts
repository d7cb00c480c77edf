import { createServer as createNodeServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createRouter, respond } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

const serve = serveEach();

describe('Blob bodies over HTTP', () => {
  /** What a plain node:http server saw of the last request. */
  let seen: { headers: IncomingMessage['headers']; body: Buffer } | undefined;
  const plain = createNodeServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen = { headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(201).end();
    });
  });
  let plainUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

  it('sends a File with its content-length and, by default, its type as content-type', async () => {
    await using client = createClient(http(plainUrl));
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    const file = new File([bytes], 'photo.png', { type: 'image/png' });
    expect((await client.put('/photo.png', file)).status).toBe('created');
    expect(seen?.headers['content-type']).toBe('image/png');
    expect(seen?.headers['content-length']).toBe('200000');
    expect(seen?.headers['transfer-encoding']).toBeUndefined();
    expect(seen?.body.equals(Buffer.from(bytes))).toBe(true);
    const named = new Blob(['a,b\n'], { type: 'text/csv' });
    await client.put('/table', named, { headers: { 'content-type': 'text/plain' } });
    expect(seen?.headers['content-type']).toBe('text/plain');
  });

  it('answers a Blob from a handler with its type and length', async () => {
    const blob = new Blob(['<svg/>'], { type: 'image/svg+xml' });
    const { url } = await serve(createRouter().get('/logo.svg', async () => respond('ok', blob)).handle);
    const answer = await fetch(`${url}/logo.svg`);
    expect(answer.headers.get('content-type')).toBe('image/svg+xml');
    expect(answer.headers.get('content-length')).toBe('6');
    expect(await answer.text()).toBe('<svg/>');
  });
});
