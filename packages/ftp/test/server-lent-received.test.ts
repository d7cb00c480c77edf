import { randomBytes } from 'node:crypto';
import { type Handler, ParleyError, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, sendAll } from './raw-ftp.js';
import { eventually } from './serve.js';

/** What a lending handler saw of one upload, in the order it happened. */
interface Seen {
  bytes: number;
  /** Bytes consumed when the server said every byte was in; `undefined` until it says so. */
  bytesWhenReceived: number | undefined;
  events: string[];
  outcome: 'stored' | ParleyError | undefined;
}

/**
 * A handler counting the bytes of each upload through `Body.lend`, recording when it is told
 * the bytes are all in (`received`) and when the lending read settles; `receivedThrows` makes
 * `received` throw.
 */
function receivingHandler(seen: Seen[], receivedThrows = false): Handler {
  return async (request) => {
    const record: Seen = { bytes: 0, bytesWhenReceived: undefined, events: [], outcome: undefined };
    seen.push(record);
    const lent = request.body.lend(
      (chunk) => {
        record.bytes += chunk.byteLength;
      },
      () => {
        record.events.push('received');
        record.bytesWhenReceived = record.bytes;
        if (receivedThrows) throw new Error('could not close the file');
      },
    );
    if (lent === undefined) throw new Error('the upload was not lent');
    try {
      await lent;
      record.events.push('resolved');
    } catch (error) {
      record.events.push('rejected');
      record.outcome = ParleyError.from(error);
      throw error;
    }
    record.outcome = 'stored';
    return respond('created');
  };
}

const start = loggedInEach();

describe('Body.lend tells an upload handler when every byte is in', () => {
  it('calls received once, after the last byte and before the upload is confirmed', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => receivingHandler(seen), uploadConfirmMs: 200 });
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    const data = await openData(await ftp.epsv());
    await ftp.expect('STOR whole.bin', 150);
    await sendAll(data, bytes);
    // The server now waits `uploadConfirmMs` before it confirms: the handler already knows.
    await eventually(() => seen[0]?.events.includes('received') === true);
    expect(seen[0]?.events).toEqual(['received']);
    expect(seen[0]?.bytesWhenReceived).toBe(bytes.byteLength);
    expect((await ftp.read(10_000)).code).toBe(226);
    expect(seen[0]).toMatchObject({ events: ['received', 'resolved'], outcome: 'stored' });
  });

  it('still fails the upload when the client dies after its data connection ended', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => receivingHandler(seen), uploadConfirmMs: 200 });
    const data = await openData(await ftp.epsv());
    await ftp.expect('STOR dying.bin', 150);
    await sendAll(data, randomBytes(256 * 1024));
    await eventually(() => seen[0]?.events.includes('received') === true);
    ftp.close();
    await eventually(() => seen[0]?.outcome instanceof ParleyError);
    expect(seen[0]?.events).toEqual(['received', 'rejected']);
    expect(seen[0]?.outcome).toMatchObject({ status: 'cancelled' });
  });

  it('fails the upload with an error reply when received throws, and the session goes on', async () => {
    const seen: Seen[] = [];
    const { ftp } = await start({ handler: () => receivingHandler(seen, true) });
    const data = await openData(await ftp.epsv());
    await ftp.expect('STOR broken.bin', 150);
    await sendAll(data, randomBytes(64 * 1024));
    const reply = await ftp.read(10_000);
    expect(reply.code).toBeGreaterThanOrEqual(450);
    expect(seen[0]?.events).toEqual(['received', 'rejected']);
    await ftp.expect('NOOP', 200);
  });
});
