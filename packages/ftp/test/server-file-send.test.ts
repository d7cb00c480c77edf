import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, type Handler, respond } from '@parley/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReadBudget } from '../src/server/read-budget.js';
import { openData, RawFtp, readAll } from './raw-ftp.js';
import { eventually, type Served, serve } from './serve.js';

const MIB = 1024 * 1024;
let dir: string;
/** 3 MiB and 5 bytes of random data: several buffers of any size, the last one partly filled. */
let content: Buffer;
let served: Served | undefined;
let ftp: RawFtp | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-ftp-file-send-'));
  content = randomBytes(3 * MIB + 5);
  writeFileSync(join(dir, 'data.bin'), content);
  // A large file that costs no disk: a download of it is still running when the test acts.
  writeFileSync(join(dir, 'large.bin'), '');
  truncateSync(join(dir, 'large.bin'), 256 * MIB);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  ftp?.close();
  ftp = undefined;
  await served?.close();
  served = undefined;
});

/** Serves the files of `dir` as `fs.createReadStream` bodies; `/part` is bytes 5 to 1,500,004 of data.bin. */
const files: Handler = async (request) => {
  if (request.path === '/part') {
    const stream = createReadStream(join(dir, 'data.bin'), { start: 5, end: 1_500_004 });
    return respond('ok', Body.from(stream, 1_500_000), { 'content-range': 'bytes 5-1500004/3145733' });
  }
  const name = request.path.slice(1);
  return respond('ok', Body.from(createReadStream(join(dir, name))));
};

async function start(maxReadBufferBytes?: number): Promise<{ served: Served; ftp: RawFtp }> {
  served = await serve({ handler: () => files, maxReadBufferBytes });
  ftp = await RawFtp.connect(served.port);
  await ftp.login();
  return { served, ftp };
}

async function retrieve(ftp: RawFtp, name: string): Promise<Buffer> {
  const bytes = readAll(await openData(await ftp.epsv()));
  await ftp.expect(`RETR ${name}`, 150);
  const received = await bytes;
  expect((await ftp.read()).code).toBe(226);
  return received;
}

describe('downloads of bodies streamed from fs.createReadStream', () => {
  it('sends the whole file and gives its read buffer back', async () => {
    const { served, ftp } = await start();
    expect((await retrieve(ftp, 'data.bin')).equals(content)).toBe(true);
    expect(served.listener.stats().readBufferBytes).toBe(0);
  });

  it('skips the REST offset', async () => {
    const { ftp } = await start();
    await ftp.expect('REST 1048577', 350);
    expect((await retrieve(ftp, 'data.bin')).equals(content.subarray(1048577))).toBe(true);
  });

  it("sends a stream's start-to-end range, and skips nothing more when the handler honoured REST", async () => {
    const { ftp } = await start();
    await ftp.expect('REST 5', 350);
    expect((await retrieve(ftp, 'part')).equals(content.subarray(5, 1_500_005))).toBe(true);
  });

  it('answers 451 when the file cannot be opened, and the session goes on', async () => {
    const { served, ftp } = await start();
    const data = await openData(await ftp.epsv());
    data.on('error', () => {});
    const reply = await ftp.send('RETR missing.bin');
    const final = reply.code === 150 ? await ftp.read() : reply;
    expect(final.code).toBe(451);
    expect(served.listener.stats().readBufferBytes).toBe(0);
    expect((await retrieve(ftp, 'data.bin')).equals(content)).toBe(true);
  });

  it('answers ABOR with 426 then 226 and gives the buffer back', async () => {
    const { served, ftp } = await start();
    const data = await openData(await ftp.epsv());
    data.on('error', () => {});
    data.pause();
    await ftp.expect('RETR large.bin', 150);
    ftp.write('ABOR');
    expect((await ftp.read()).code).toBe(426);
    expect((await ftp.read()).text).toBe('226 ABOR command successful');
    await eventually(() => served.listener.stats().readBufferBytes === 0);
    expect((await ftp.send('NOOP')).code).toBe(200);
  });

  it('answers 426 when the client closes the data connection mid-file', async () => {
    const { served, ftp } = await start();
    const data = await openData(await ftp.epsv());
    await ftp.expect('RETR large.bin', 150);
    await new Promise((resolve) => data.once('data', resolve));
    data.destroy();
    expect((await ftp.read()).code).toBe(426);
    await eventually(() => served.listener.stats().readBufferBytes === 0);
    expect((await retrieve(ftp, 'data.bin')).equals(content)).toBe(true);
  });

  it('sends the whole file in 64 KiB reads, and when they are slow and go through the thread pool', async () => {
    // With no budget to spare, a download reads 64 KiB at a time, on the event loop while fast.
    const { served, ftp } = await start(64 * 1024);
    expect((await retrieve(ftp, 'data.bin')).equals(content)).toBe(true);
    // Every read made on the event loop looks slow (the clock jumps 5 ms each time it is read).
    let now = performance.now();
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += 5));
    try {
      expect((await retrieve(ftp, 'data.bin')).equals(content)).toBe(true);
      await ftp.expect('REST 1048577', 350);
      expect((await retrieve(ftp, 'data.bin')).equals(content.subarray(1048577))).toBe(true);
    } finally {
      clock.mockRestore();
    }
    expect(served.listener.stats().readBufferBytes).toBe(0);
  });

  it('sends many files at once, each whole', async () => {
    const { served } = await start();
    const clients = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const client = await RawFtp.connect(served.port);
        await client.login();
        return client;
      }),
    );
    try {
      const received = await Promise.all(clients.map((client) => retrieve(client, 'data.bin')));
      for (const bytes of received) expect(bytes.equals(content)).toBe(true);
      expect(served.listener.stats().readBufferBytes).toBe(0);
    } finally {
      for (const client of clients) client.close();
    }
  });
});

describe('ReadBudget', () => {
  it('hands out 1 MiB buffers within the budget, then 64 KiB ones, and reuses returned buffers', () => {
    const budget = new ReadBudget(2 * MIB, 4 * MIB);
    const taken = [budget.take(), budget.take(), budget.take()];
    expect(taken.map((buffer) => buffer.byteLength)).toEqual([MIB, MIB, 64 * 1024]);
    expect(budget.inUse).toBe(2 * MIB + 64 * 1024);
    for (const buffer of taken) budget.give(buffer);
    expect(budget.inUse).toBe(0);
    const again = budget.take();
    expect(again === taken[0] || again === taken[1]).toBe(true);
  });

  it('keeps no more returned bytes than it is told to', () => {
    const budget = new ReadBudget(4 * MIB, MIB);
    const [a, b] = [budget.take(), budget.take()];
    budget.give(a);
    budget.give(b);
    expect(budget.take() === a).toBe(true);
    expect(budget.take() === b).toBe(false);
  });
});
