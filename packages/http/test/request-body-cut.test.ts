import { connect } from 'node:net';
import { createServer, type Listener, ParleyError, respond, type Server } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';

let server: Server | undefined;

afterEach(async () => {
  await server?.close({ timeoutMs: 100 });
  server = undefined;
});

/** Serves a handler that reads the request body and hands over what reading it threw. */
async function serveReader(): Promise<{ listener: Listener; failure: Promise<unknown> }> {
  let report = (_error: unknown): void => {};
  const failure = new Promise<unknown>((resolve) => {
    report = resolve;
  });
  server = createServer(
    async (request) => {
      try {
        await request.body.bytes();
        report(undefined);
      } catch (error) {
        report(error);
      }
      return respond('ok');
    },
    { onError: () => {} },
  );
  const listener = await server.listen(http('http://127.0.0.1:0'));
  return { listener, failure };
}

/** Sends a request head and part of its body, then drops the connection. */
async function sendPartOf(url: string, head: string, part: string): Promise<void> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`${head}\r\n\r\n${part}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
}

describe('an HTTP request body cut off by the client', () => {
  it('fails its reader with cancelled when the declared length never arrives', async () => {
    const { listener, failure } = await serveReader();
    await sendPartOf(listener.url, 'PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100000', 'x'.repeat(5000));
    const error = await failure;
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ status: 'cancelled' });
  });

  it('fails its reader with cancelled when a chunked body never ends', async () => {
    const { listener, failure } = await serveReader();
    await sendPartOf(
      listener.url,
      'PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked',
      '10\r\n0123456789abcdef\r\n',
    );
    const error = await failure;
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ status: 'cancelled' });
  });
});
