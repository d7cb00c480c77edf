import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { type Handler, ParleyError, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData } from './raw-ftp.js';
import { eventually } from './serve.js';

/** What a lending handler saw of one upload. */
interface Seen {
  bytes: number;
  hash: ReturnType<typeof createHash>;
  outcome: 'stored' | ParleyError | undefined;
}

/** A handler hashing each upload through `Body.lend`. */
function lendingHandler(seen: Seen[]): Handler {
  return async (request) => {
    const record: Seen = { bytes: 0, hash: createHash('sha256'), outcome: undefined };
    seen.push(record);
    const lent = request.body.lend((chunk) => {
      record.bytes += chunk.byteLength;
      record.hash.update(chunk);
    });
    if (lent === undefined) throw new Error('the upload was not lent');
    try {
      await lent;
    } catch (error) {
      record.outcome = ParleyError.from(error);
      throw error;
    }
    record.outcome = 'stored';
    return respond('created');
  };
}

/** Writes `bytes` in pieces of `piece` bytes, letting the event loop turn between them. */
async function trickle(socket: Socket, bytes: Buffer, piece: number): Promise<void> {
  for (let at = 0; at < bytes.byteLength; at += piece) {
    if (!socket.write(bytes.subarray(at, at + piece)))
      await new Promise((resolve) => socket.once('drain', resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const start = loggedInEach();

describe('lent uploads past their first MiB (reads paced)', () => {
  it('stores every byte of an upload sent in small pieces, in order', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen) });
    const bytes = randomBytes(3 * 1024 * 1024 + 11);
    const data = await openData(await ftp.epsv());
    await ftp.expect('STOR paced.bin', 150);
    await trickle(data, bytes, 16 * 1024);
    data.end();
    expect((await ftp.read(20_000)).code).toBe(226);
    expect(seen[0]?.outcome).toBe('stored');
    expect(seen[0]?.bytes).toBe(bytes.byteLength);
    expect(seen[0]?.hash.digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('answers ABOR during a paced upload with 426 then 226, and fails the lending read', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => lendingHandler(seen) });
    const data = await openData(await ftp.epsv());
    data.on('error', () => {});
    await ftp.expect('STOR aborted.bin', 150);
    await trickle(data, randomBytes(2 * 1024 * 1024), 16 * 1024);
    await eventually(() => (seen[0]?.bytes ?? 0) > 1024 * 1024);
    ftp.write('ABOR');
    expect((await ftp.read()).code).toBe(426);
    expect((await ftp.read()).text).toBe('226 ABOR command successful');
    await eventually(() => seen[0]?.outcome instanceof ParleyError);
    expect(seen[0]?.outcome).toMatchObject({ status: 'cancelled' });
    await ftp.expect('NOOP', 200);
  });
});
