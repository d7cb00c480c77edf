import { Readable } from 'node:stream';
import { Body, createClient, type ParleyError, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

const serve = serveEach();

describe('failures WebSocket cannot answer', () => {
  it("reports an authenticate hook that fails to the server's onError besides refusing with 500", async () => {
    const reported: { error: ParleyError; context: string | undefined }[] = [];
    const { url } = await serve(
      async () => respond('ok'),
      {},
      {
        authenticate: async () => {
          throw new Error('the user table is unreachable');
        },
        authThrottle: false,
        onError: (error, _request, context) => reported.push({ error, context }),
      },
    );
    const withCredentials = url.replace('ws://', 'ws://alice:secret@');
    const client = createClient(ws(withCredentials), { retries: 0 });
    try {
      await expect(client.get('/notes/a')).rejects.toMatchObject({ status: 'internal' });
    } finally {
      await client.close();
    }
    expect(reported).toHaveLength(1);
    expect(reported[0]?.context).toMatch(/authenticating an upgrade/);
    expect(reported[0]?.error.message).toMatch(/user table is unreachable/);
  });

  it("reports a response body that fails midway to the server's onError; the client's read fails", async () => {
    const reported: { error: ParleyError; context: string | undefined }[] = [];
    const failing = async function* () {
      yield new Uint8Array(100_000);
      throw new Error('the disk went away');
    };
    const { url } = await serve(
      async () => respond('ok', Body.from(Readable.from(failing()))),
      {},
      { onError: (error, _request, context) => reported.push({ error, context }) },
    );
    const client = createClient(ws(url), { retries: 0 });
    try {
      const response = await client.get('/large.bin');
      await expect(response.body.bytes()).rejects.toMatchObject({ status: 'cancelled' });
    } finally {
      await client.close();
    }
    expect(reported).toHaveLength(1);
    expect(reported[0]?.context).toMatch(/WebSocket: writing a response body/);
    expect(reported[0]?.error.message).toMatch(/the disk went away/);
  });
});
