import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { type Handler, ParleyError, respond } from '@parley/core';
import { Client } from 'basic-ftp';
import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, RawFtp, sendAll } from './raw-ftp.js';
import { eventually } from './serve.js';

/** What a lending handler saw of one upload. */
interface Seen {
  lent: boolean;
  bytes: number;
  reads: number;
  /** The memory the reads were lent from. */
  buffers: Set<ArrayBufferLike>;
  sha256: string;
  outcome: 'stored' | ParleyError | undefined;
}

/**
 * A handler storing nothing but a digest of each upload, reading it through `Body.lend` (each
 * read lent from the transport's buffer); `consumeFails` makes it throw after that many bytes.
 */
function lendingHandler(seen: Seen[], consumeFails = Number.POSITIVE_INFINITY): Handler {
  return async (request) => {
    const record: Seen = {
      lent: false,
      bytes: 0,
      reads: 0,
      buffers: new Set(),
      sha256: '',
      outcome: undefined,
    };
    seen.push(record);
    const hash = createHash('sha256');
    const lent = request.body.lend((chunk) => {
      record.reads++;
      record.buffers.add(chunk.buffer);
      record.bytes += chunk.byteLength;
      if (record.bytes > consumeFails) throw new Error('disk on fire');
      hash.update(chunk);
    });
    record.lent = lent !== undefined;
    if (lent === undefined) {
      for await (const chunk of request.body) hash.update(chunk);
    } else {
      try {
        await lent;
      } catch (error) {
        record.outcome = ParleyError.from(error);
        throw error;
      }
    }
    record.sha256 = hash.digest('hex');
    record.outcome = 'stored';
    return respond('created');
  };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const start = loggedInEach();

describe('uploads read through Body.lend', () => {
  it('lends every byte of a passive upload in order, from reused memory', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen) });
    await ftp.expect('TYPE I', 200);
    const bytes = randomBytes(24 * 1024 * 1024 + 13);
    const data = await openData(await ftp.epsv());
    await ftp.expect('STOR big.bin', 150);
    for (let at = 0; at < bytes.byteLength; at += 10_000) data.write(bytes.subarray(at, at + 10_000));
    data.end();
    expect((await ftp.read(20_000)).code).toBe(226);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      lent: true,
      bytes: bytes.byteLength,
      outcome: 'stored',
      sha256: sha256(bytes),
    });
    // Hundreds of reads, from at most two pieces of memory (the small first read's and the one reused).
    expect(seen[0]?.reads).toBeGreaterThan(96);
    expect(seen[0]?.buffers.size).toBeLessThanOrEqual(2);
    await ftp.expect('NOOP', 200);
  });

  it('lends two uploads running at once from the same memory, each in its own order', async () => {
    const seen: Seen[] = [];
    const { served, ftp } = await start({ handler: () => lendingHandler(seen) });
    const other = await RawFtp.connect(served.port);
    try {
      await other.login();
      const first = randomBytes(6 * 1024 * 1024 + 7);
      const second = randomBytes(5 * 1024 * 1024 + 3);
      const firstData = await openData(await ftp.epsv());
      const secondData = await openData(await other.epsv());
      await ftp.expect('STOR first.bin', 150);
      await other.expect('STOR second.bin', 150);
      // Both connections send at once, in small pieces, so that their reads alternate.
      const step = 32 * 1024;
      const sending: Promise<void>[] = [];
      for (let at = 0; at < Math.max(first.byteLength, second.byteLength); at += step) {
        if (at < first.byteLength) firstData.write(first.subarray(at, at + step));
        if (at < second.byteLength) secondData.write(second.subarray(at, at + step));
      }
      sending.push(new Promise((resolve) => firstData.end(resolve)));
      sending.push(new Promise((resolve) => secondData.end(resolve)));
      await Promise.all(sending);
      expect((await ftp.read(20_000)).code).toBe(226);
      expect((await other.read(20_000)).code).toBe(226);
      const byBytes = new Map(seen.map((record) => [record.bytes, record]));
      expect(byBytes.get(first.byteLength)).toMatchObject({
        lent: true,
        outcome: 'stored',
        sha256: sha256(first),
      });
      expect(byBytes.get(second.byteLength)).toMatchObject({
        lent: true,
        outcome: 'stored',
        sha256: sha256(second),
      });
      // Past each connection's small first read, both were lent the one shared buffer.
      const large = (record: Seen | undefined) =>
        [...(record?.buffers ?? [])].filter((memory) => memory.byteLength > 1024);
      const shared = new Set([
        ...large(byBytes.get(first.byteLength)),
        ...large(byBytes.get(second.byteLength)),
      ]);
      expect(shared.size).toBe(1);
    } finally {
      other.close();
    }
  });

  it('lends an active (PORT) upload too', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen), activeMode: true });
    const listener = createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    try {
      const address = listener.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const connected = once(listener, 'connection') as Promise<[Socket]>;
      await ftp.expect(`PORT 127,0,0,1,${port >> 8},${port & 255}`, 200);
      const opening = ftp.expect('STOR active.bin', 150);
      const [data] = await connected;
      await opening;
      const bytes = randomBytes(3 * 1024 * 1024);
      await sendAll(data, bytes);
      expect((await ftp.read(10_000)).code).toBe(226);
      expect(seen[0]).toMatchObject({ lent: true, bytes: bytes.byteLength, sha256: sha256(bytes) });
    } finally {
      listener.close();
    }
  });

  it('refuses an upload over the limit with 552 and fails the lending read with too_large', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen), maxBodyBytes: 1024 * 1024 });
    const data = await openData(await ftp.epsv());
    await ftp.expect('STOR over.bin', 150);
    data.on('error', () => {});
    data.write(randomBytes(3 * 1024 * 1024));
    const reply = await ftp.read(10_000);
    expect(reply.code).toBe(552);
    expect(seen[0]?.lent).toBe(true);
    expect(seen[0]?.outcome).toMatchObject({ status: 'too_large' });
    expect(seen[0]?.bytes).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
    data.destroy();
    await ftp.expect('NOOP', 200);
  });

  it('ends the upload with an error reply when the consumer throws, and the session goes on', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen, 512 * 1024) });
    const data = await openData(await ftp.epsv());
    data.on('error', () => {});
    await ftp.expect('STOR fire.bin', 150);
    data.write(randomBytes(4 * 1024 * 1024));
    const reply = await ftp.read(10_000);
    expect(reply.code).toBeGreaterThanOrEqual(450);
    expect(reply.code).not.toBe(226);
    expect(seen[0]?.outcome).toBeInstanceOf(ParleyError);
    await eventually(() => data.destroyed);
    await ftp.expect('NOOP', 200);
    // The next upload on the same session lends afresh.
    const next = await openData(await ftp.epsv());
    await ftp.expect('STOR next.bin', 150);
    await sendAll(next, 'fine');
    expect((await ftp.read()).code).toBe(226);
    expect(seen[1]).toMatchObject({ lent: true, bytes: 4, outcome: 'stored' });
  });

  it('fails the lending read when the client dies mid-upload, committing nothing', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen) });
    const data = await openData(await ftp.epsv());
    data.on('error', () => {});
    await ftp.expect('STOR dying.bin', 150);
    data.write(randomBytes(256 * 1024));
    await eventually(() => (seen[0]?.bytes ?? 0) > 0);
    data.end();
    ftp.close();
    await eventually(() => seen[0]?.outcome instanceof ParleyError);
    expect(seen[0]?.outcome).toMatchObject({ status: 'cancelled' });
  });

  it('does not lend a TYPE A upload (its line ends are converted): the body is read as usual', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen) });
    await ftp.expect('TYPE A', 200);
    const text = await ftp.upload('STOR lines.txt', 'one\r\ntwo\r\n');
    expect(text).toMatch(/complete/i);
    expect(seen[0]).toMatchObject({
      lent: false,
      outcome: 'stored',
      sha256: sha256(Buffer.from('one\ntwo\n')),
    });
  });

  it('serves basic-ftp uploads and downloads as before on the same data connections', async () => {
    const seen: Seen[] = [];
    const { served } = await start({ handler: () => lendingHandler(seen) });
    const client = new Client(10_000);
    try {
      await client.access({ host: '127.0.0.1', port: served.port, user: 'anonymous', password: 'x' });
      const bytes = randomBytes(5 * 1024 * 1024);
      const { Readable } = await import('node:stream');
      await client.uploadFrom(Readable.from([bytes]), 'via-basic-ftp.bin');
      expect(seen[0]).toMatchObject({ lent: true, bytes: bytes.byteLength, sha256: sha256(bytes) });
    } finally {
      client.close();
    }
  });
});
