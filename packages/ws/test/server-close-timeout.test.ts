import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createRouter } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

const start = serveEach();

/** Opcode of a close frame, in the first byte of a frame (with FIN). */
const CLOSE_FRAME = 0x88;

/**
 * A client written by hand that upgrades, then reads everything and answers nothing, the close
 * frame included. Resolves `closeFrame` when the server's close frame arrives, and `ended` with
 * the milliseconds from that frame to the end of the TCP connection; `cut()` ends it.
 */
async function clientIgnoringClose(
  url: string,
): Promise<{ closeFrame: Promise<void>; ended: Promise<number>; cut(): void }> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  let framed = (): void => {};
  const closeFrame = new Promise<void>((resolve) => {
    framed = resolve;
  });
  let frameAt = 0;
  const ended = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - frameAt)));
  let upgraded = false;
  let head = '';
  socket.on('data', (chunk: Buffer) => {
    if (!upgraded) {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      expect(head.startsWith('HTTP/1.1 101')).toBe(true);
      upgraded = true;
      return;
    }
    if (frameAt === 0 && chunk[0] === CLOSE_FRAME) {
      frameAt = Date.now();
      framed();
    }
  });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  return { closeFrame, ended, cut: () => socket.destroy() };
}

describe("the server's wait for a client's answer to its close frame (closeTimeoutMs)", () => {
  it('cuts the TCP connection of a client that ignores the close frame once closeTimeoutMs has passed', async () => {
    const { url } = await start(createRouter(), { idleTimeoutMs: 100, closeTimeoutMs: 200 });
    const client = await clientIgnoringClose(url);
    await client.closeFrame;
    expect(await client.ended).toBeGreaterThanOrEqual(150);
  }, 20_000);

  it('waits longer when told to: the connection is still open well after the default wait of 1 s', async () => {
    const { url } = await start(createRouter(), { idleTimeoutMs: 100, closeTimeoutMs: 60_000 });
    const client = await clientIgnoringClose(url);
    await client.closeFrame;
    const outcome = await Promise.race([
      client.ended.then(() => 'cut'),
      new Promise((resolve) => setTimeout(() => resolve('open'), 2_500)),
    ]);
    client.cut();
    expect(outcome).toBe('open');
  }, 20_000);
});
