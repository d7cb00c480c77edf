import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { Body, createServer, type ParleyError, respond } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** Serves a streamed body of `chunks` declared as `length` bytes; returns the port and what reached onError. */
async function serveDeclared(
  chunks: string[],
  length: number,
): Promise<{ port: number; reported: ParleyError[] }> {
  const reported: ParleyError[] = [];
  const server = createServer(
    async () =>
      respond('ok', Body.from(Readable.from(chunks.map((chunk) => Buffer.from(chunk)))), {
        'content-length': String(length),
      }),
    { onError: (error) => reported.push(error) },
  );
  closing.push(() => server.close({ timeoutMs: 500 }));
  const listener = await server.listen(http('http://127.0.0.1:0', { keepAliveTimeoutMs: 30_000 }));
  return { port: Number(new URL(listener.url).port), reported };
}

/** Sends one keep-alive GET and reads until the server closes the connection (or 10 s pass). */
function readUntilClosed(port: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write('GET /f HTTP/1.1\r\nHost: localhost\r\n\r\n'),
    );
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, 10_000);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}

describe('a streamed response body that does not match its content-length', () => {
  it('cuts the connection when the body ends short, instead of leaving the client waiting, and reports it', async () => {
    const { port, reported } = await serveDeclared(['abc'], 10);
    const { text, closed } = await readUntilClosed(port);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text.endsWith('\r\n\r\nabc')).toBe(true);
    expect(reported.map((error) => error.message)).toEqual([
      'The response body ended after 3 of its 10 bytes (content-length)',
    ]);
  });

  it('cuts the connection before sending bytes past it, which a keep-alive client would read as its next response', async () => {
    const forged = 'HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nforged';
    const { port, reported } = await serveDeclared(['ab', forged], 2);
    const { text, closed } = await readUntilClosed(port);
    // Cut before the surplus: the client sees the answer fail (what came of it, if anything, is short).
    expect(closed).toBe(true);
    expect(text).not.toContain('forged');
    expect(reported.map((error) => error.message)).toEqual([
      'The response body is longer than its content-length of 2 bytes',
    ]);
  });

  it('keeps the connection open after a body that matches', async () => {
    const { port, reported } = await serveDeclared(['ab', 'cd'], 4);
    const socket = connect(port, '127.0.0.1');
    const answers: string[] = [];
    socket.on('data', (chunk: Buffer) => answers.push(chunk.toString('latin1')));
    socket.write('GET /f HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await expect.poll(() => answers.join('').endsWith('abcd')).toBe(true);
    socket.write('GET /f HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await expect.poll(() => answers.join('').split('abcd').length).toBe(3);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
    expect(reported).toEqual([]);
  });

  it('counts a body streamed as strings by their bytes, not as an overrun', async () => {
    const reported: ParleyError[] = [];
    const server = createServer(
      async () => respond('ok', Body.from(Readable.from(['hé', 'llo'])), { 'content-length': '6' }),
      { onError: (error) => reported.push(error) },
    );
    closing.push(() => server.close({ timeoutMs: 500 }));
    const url = (await server.listen(http('http://127.0.0.1:0'))).url;
    for (let i = 0; i < 2; i++) expect(await (await fetch(`${url}f`)).text()).toBe('héllo');
    expect(reported).toEqual([]);
  });
});
