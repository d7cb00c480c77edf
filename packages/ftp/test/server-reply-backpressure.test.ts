import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Served, serve } from './serve.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** Writes `chunk` `times` times, waiting for the socket to drain, but at most 200 ms each time. */
async function flood(socket: ReturnType<typeof connect>, chunk: Buffer, times: number, sample: () => void) {
  for (let i = 0; i < times; i++) {
    if (!socket.write(chunk)) {
      await Promise.race([once(socket, 'drain'), new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    sample();
  }
}

describe('a client that sends commands and never reads the replies', () => {
  it('is not answered beyond a bounded backlog: commands wait until it reads (HELP before login)', async () => {
    served = await serve();
    const listener = served.listener;
    const socket = connect(served.port, '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.pause();
    let most = 0;
    // 3 MB of HELP, each answered with a reply some 60 times its size: 180 MB if all answered.
    const sample = (): void => {
      most = Math.max(most, listener.stats().replyBytes);
    };
    await flood(socket, Buffer.from('HELP\r\n'.repeat(10_000)), 50, sample);
    // The server reads on while it answers: watch the backlog for a while (it never shrinks, as
    // nothing is read).
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      sample();
    }
    expect(most).toBeLessThan(1024 * 1024);
    socket.destroy();
  });

  it('gets every reply, in order, once it reads', async () => {
    served = await serve();
    const socket = connect(served.port, '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.pause();
    const count = 20_000;
    socket.write('NOOP\r\n'.repeat(count));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.setEncoding('utf8');
    let text = '';
    const answered = new Promise<void>((resolve) => {
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.endsWith(`${'200 NOOP ok\r\n'.repeat(2)}`) && text.split('\r\n').length - 2 === count)
          resolve();
      });
    });
    socket.resume();
    await answered;
    expect(text.startsWith('220 ')).toBe(true);
    expect(text.split('\r\n').slice(1, -1)).toEqual(Array.from({ length: count }, () => '200 NOOP ok'));
    socket.destroy();
  });
});
