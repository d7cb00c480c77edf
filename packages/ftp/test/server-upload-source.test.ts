import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { ParleyError } from '@parley/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadSource } from '../src/server/upload-source.js';

let server: Server | undefined;
const sockets: Socket[] = [];

/** A connected pair of sockets: what the client writes, the server side reads. */
async function pair(): Promise<{ client: Socket; accepted: Socket }> {
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const accepting = once(server, 'connection') as Promise<[Socket]>;
  const client = connect({ host: '127.0.0.1', port });
  const [accepted] = await accepting;
  sockets.push(client, accepted);
  return { client, accepted };
}

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.close();
  server = undefined;
});

async function readAll(source: UploadSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('UploadSource', () => {
  it('hands on every byte in order, gathered, and ends after the confirmation', async () => {
    const { client, accepted } = await pair();
    let confirmed = false;
    const source = new UploadSource(accepted, Number.POSITIVE_INFINITY, async () => {
      confirmed = true;
    });
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    for (let at = 0; at < bytes.byteLength; at += 10_000) client.write(bytes.subarray(at, at + 10_000));
    client.end();
    expect((await readAll(source)).equals(bytes)).toBe(true);
    expect(confirmed).toBe(true);
    expect(source.exceeded).toBe(false);
  });

  it('hands on the buffers the socket read, never copies of them', async () => {
    const { client, accepted } = await pair();
    const read = new Set<Buffer>();
    accepted.on('data', (chunk: Buffer) => read.add(chunk));
    const source = new UploadSource(accepted, Number.POSITIVE_INFINITY, async () => {});
    const bytes = randomBytes(4 * 1024 * 1024);
    client.end(bytes);
    // Flowing, as a pipe reads (an async iterator's read() joins what is buffered).
    const chunks: Buffer[] = [];
    source.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(source, 'end');
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(chunks.length).toBe(read.size);
    expect(chunks.every((chunk) => read.has(chunk))).toBe(true);
  });

  it('fails with too_large past the limit', async () => {
    const { client, accepted } = await pair();
    const source = new UploadSource(accepted, 1000, async () => {});
    client.end(Buffer.alloc(1001));
    const error = await readAll(source).catch((caught: unknown) => caught);
    expect(ParleyError.from(error).status).toBe('too_large');
    expect(source.exceeded).toBe(true);
  });

  it('fails when the confirmation fails, and when the connection closes before its end', async () => {
    const first = await pair();
    const refused = new UploadSource(first.accepted, Number.POSITIVE_INFINITY, async () => {
      throw new ParleyError('cancelled', 'control connection closed');
    });
    first.client.end('data');
    expect(ParleyError.from(await readAll(refused).catch((caught: unknown) => caught)).message).toBe(
      'control connection closed',
    );

    const second = await pair();
    const cut = new UploadSource(second.accepted, Number.POSITIVE_INFINITY, async () => {});
    second.client.write('partial');
    second.accepted.destroy();
    expect(ParleyError.from(await readAll(cut).catch((caught: unknown) => caught)).status).toBe('cancelled');
  });

  it('fails at once on fail(), even while the client sends on', async () => {
    const { client, accepted } = await pair();
    const source = new UploadSource(accepted, Number.POSITIVE_INFINITY, async () => {});
    client.write('some bytes');
    source.fail(new ParleyError('cancelled', 'Transfer aborted by the client'));
    const error = await readAll(source).catch((caught: unknown) => caught);
    expect(ParleyError.from(error).message).toBe('Transfer aborted by the client');
  });

  it('fails without an uncaught exception when nobody reads it any more', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const { client, accepted } = await pair();
      const source = new UploadSource(accepted, Number.POSITIVE_INFINITY, async () => {});
      client.write('partial');
      // The handler answered without reading; then the client goes away mid-upload.
      client.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      source.fail(new ParleyError('cancelled', 'aborted after the close'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(source.destroyed).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
