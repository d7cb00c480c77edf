import { createClient, ParleyError } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What a GET to the server ends with: the ParleyError's status, retryable flag and message. */
async function failureOf(url: string): Promise<{ status: string; retryable: boolean; message: string }> {
  const client = createClient(http(url), { retries: 0, timeoutMs: 10_000 });
  try {
    const response = await client.get('/a');
    await response.body.bytes();
    return { status: 'no failure', retryable: false, message: '' };
  } catch (error) {
    if (!(error instanceof ParleyError)) throw error;
    return { status: error.status, retryable: error.retryable, message: error.message };
  } finally {
    await client.close();
  }
}

describe('a server whose response is not valid HTTP/1.1', () => {
  it('is unavailable (the peer failed, not Parley) for a head of 1 MB of header fields', async () => {
    server = await startRawServer((socket) =>
      socket.end(`HTTP/1.1 200 OK\r\n${'x-filler: aaaaaaaa\r\n'.repeat(50_000)}content-length: 0\r\n\r\n`),
    );
    const failure = await failureOf(server.url);
    expect(failure).toMatchObject({ status: 'unavailable', retryable: false });
    expect(failure.message).toMatch(/^The server's response head is larger than the client takes/);
  });

  it('is unavailable for an answer that is not HTTP at all', async () => {
    server = await startRawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    const failure = await failureOf(server.url);
    expect(failure).toMatchObject({ status: 'unavailable', retryable: false });
    expect(failure.message).toMatch(/^The server's response is not valid HTTP\/1\.1/);
  });

  it('is unavailable for a chunked body whose chunk size is not a number', async () => {
    server = await startRawServer((socket) =>
      socket.end('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'),
    );
    const failure = await failureOf(server.url);
    expect(failure).toMatchObject({ status: 'unavailable', retryable: false });
    expect(failure.message).toMatch(/^The server's response is not valid HTTP\/1\.1/);
  });

  it('is unavailable for a head with two different content-length fields', async () => {
    server = await startRawServer((socket) =>
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 5\r\n\r\nabcde'),
    );
    const failure = await failureOf(server.url);
    expect(failure).toMatchObject({ status: 'unavailable', retryable: false });
    expect(failure.message).toMatch(/^The server's response body does not match its content-length/);
  });
});
