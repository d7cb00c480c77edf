import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();

describe('a PUT with Content-Range (a part of the content)', () => {
  it('is refused with 400 before the handler, so the part never replaces the whole', async () => {
    const stored: string[] = [];
    const { port } = await start(async (request) => {
      stored.push(await request.body.text());
      return respond('ok');
    });
    const connection = await rawConnection(
      port,
      'PUT /file.txt HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 2-4/11\r\nContent-Length: 3\r\n\r\nabc',
    );
    const answer = await connection.waitFor('PUT replaces the whole content');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(stored).toEqual([]);
    connection.socket.destroy();
  });

  it('leaves other methods with Content-Range to the handler', async () => {
    const { port } = await start(async (request) => respond('ok', await request.body.text()));
    const connection = await rawConnection(
      port,
      'POST /file.txt HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 2-4/11\r\nContent-Length: 3\r\n\r\nabc',
    );
    expect(await connection.waitFor('\r\n\r\nabc')).toMatch(/^HTTP\/1\.1 200 /);
    connection.socket.destroy();
  });
});
