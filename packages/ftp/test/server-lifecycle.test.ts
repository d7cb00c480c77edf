import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { Body, type Handler, respond } from '@parley/core';
import { afterEach, describe, expect, it } from 'vitest';
import { gate } from '../../../test/support/gate.js';
import { openData, RawFtp, readAll, sendAll } from './raw-ftp.js';
import { eventually, type Served, type ServeOptions, serve } from './serve.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** A handler whose GET /endless streams until the request aborts, recording the abort. */
function endless(aborted: string[]): Handler {
  return async (request) => {
    async function* forever() {
      const chunk = Buffer.alloc(16 * 1024, 1);
      while (!request.signal.aborted) {
        yield chunk;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    request.signal.addEventListener('abort', () => aborted.push(`${request.method} ${request.path}`));
    if (request.method === 'PUT') {
      for await (const _ of request.body) {
        // read until the upload ends or fails
      }
      return respond('ok');
    }
    return respond('ok', forever());
  };
}

/** A handler whose GET answers with a stream that ends at once but closes only after `closeMs`, as a slow file close does. */
function slowClose(closeMs: number): Handler {
  return async () => {
    const source = new Readable({
      read() {},
      destroy(error, callback) {
        setTimeout(() => callback(error), closeMs);
      },
    });
    source.push(Buffer.alloc(64 * 1024, 7));
    source.push(null);
    return respond('ok', Body.from(source));
  };
}

/** Serves `options`, logs in over a raw control connection and opens a passive data connection. */
async function transferReady(options: ServeOptions): Promise<{ running: Served; ftp: RawFtp; data: Socket }> {
  const running = await serve(options);
  served = running;
  const ftp = await RawFtp.connect(running.port);
  await ftp.login();
  const data = await openData(await ftp.epsv());
  return { running, ftp, data };
}

describe('completed downloads', () => {
  it('answers 226 when every byte was sent, even if the source closes after the client hung up', async () => {
    const { ftp, data } = await transferReady({ handler: () => slowClose(400) });
    const received = readAll(data);
    await ftp.expect('RETR slow.bin', 150);
    data.on('end', () => data.destroy());
    expect((await received).byteLength).toBe(64 * 1024);
    expect((await ftp.read()).code).toBe(226);
    ftp.close();
  });
});

describe('aborts', () => {
  it('ABOR during a download answers 426 then 226, aborts the request signal and frees the channel', async () => {
    const aborted: string[] = [];
    const { running, ftp, data } = await transferReady({ handler: () => endless(aborted) });
    data.on('error', () => {});
    const received = readAll(data).catch(() => Buffer.alloc(0));
    await ftp.expect('RETR endless', 150);
    ftp.write('ABOR');
    expect((await ftp.read()).code).toBe(426);
    expect((await ftp.read()).text).toBe('226 ABOR command successful');
    await received;
    await eventually(() => aborted.includes('GET /endless'));
    expect(running.listener.stats().passiveListeners).toBe(0);
    expect((await ftp.send('NOOP')).code).toBe(200);
    ftp.close();
  });

  it('aborts the request signal when the data connection of a download is lost', async () => {
    const aborted: string[] = [];
    const { ftp, data } = await transferReady({ handler: () => endless(aborted) });
    await ftp.expect('RETR endless', 150);
    await new Promise((resolve) => data.once('data', resolve));
    data.destroy();
    expect((await ftp.read()).code).toBe(426);
    await eventually(() => aborted.includes('GET /endless'));
    ftp.close();
  });

  it('aborts the request signal when the control connection is lost during an upload', async () => {
    const aborted: string[] = [];
    const { ftp, data } = await transferReady({ handler: () => endless(aborted) });
    data.on('error', () => {});
    await ftp.expect('STOR up.bin', 150);
    data.write('part of it');
    ftp.close();
    await eventually(() => aborted.includes('PUT /up.bin'));
    await eventually(() => served?.listener.stats().connections === 0);
    data.destroy();
  });
});

describe('graceful close', () => {
  it('stops accepting, lets a transfer in flight finish, then sends 421 to every session and closes', async () => {
    const held = gate();
    served = await serve({
      handler: (store) => async (request) => {
        if (request.path === '/gated') {
          await held.opened;
          return respond('ok', 'finished');
        }
        return store.handle(request);
      },
    });
    const { port, server } = served;
    const busy = await RawFtp.connect(port);
    const idle = await RawFtp.connect(port);
    await busy.login();
    await idle.login();
    const data = await openData(await busy.epsv());
    const received = readAll(data);
    busy.write('RETR gated');
    await eventually(() => server.inFlight > 0);
    const closing = served.close(5000);
    await eventually(() => !server.ready);
    const late = await RawFtp.connect(port, { greeting: false }).catch((error: Error) => error);
    expect(late).toBeInstanceOf(Error);
    held.open();
    expect((await busy.read()).code).toBe(150);
    expect((await received).toString()).toBe('finished');
    expect((await busy.read()).code).toBe(226);
    expect((await busy.read()).code).toBe(421);
    expect((await idle.read()).code).toBe(421);
    await closing;
    await eventually(() => busy.closed && idle.closed);
  });

  it('cuts everything off when the close deadline passes', async () => {
    const aborted: string[] = [];
    const { running, ftp, data } = await transferReady({ handler: () => endless(aborted) });
    data.on('error', () => {});
    await ftp.expect('RETR endless', 150);
    await running.close(100);
    await eventually(() => ftp.closed && aborted.includes('GET /endless'));
    expect(running.listener.stats()).toEqual({
      connections: 0,
      passiveListeners: 0,
      readBufferBytes: 0,
      replyBytes: 0,
    });
    served = undefined;
  });

  it('keeps serving a session through uploads after another one closes mid-transfer', async () => {
    served = await serve();
    const first = await RawFtp.connect(served.port);
    await first.login();
    await openData(await first.epsv());
    first.close();
    const second = await RawFtp.connect(served.port);
    await second.login();
    const data = await openData(await second.epsv());
    await second.expect('STOR ok.txt', 150);
    await sendAll(data, 'fine');
    expect((await second.read()).code).toBe(226);
    second.close();
  });
});
