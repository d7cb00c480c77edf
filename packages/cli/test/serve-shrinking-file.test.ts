import { truncateSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servedFolder } from './support.js';

const served = servedFolder('parley-serve-shrinking-');
const { dir } = served;
/** Larger than every buffer between the server's file and a client that does not read yet. */
const SIZE = 64 * 1024 * 1024;
const KEPT = 1024 * 1024;

/** Everything a socket receives until it closes. */
function collect(socket: Socket): { text(): string; bytes(): number; closed: Promise<void> } {
  const chunks: Buffer[] = [];
  let length = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.byteLength;
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { text: () => Buffer.concat(chunks).toString('latin1'), bytes: () => length, closed };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('parley serve sends a file cut short while it is sent', () => {
  it('over HTTP: the connection closes before the content-length, so the client sees an error', async () => {
    writeFileSync(join(dir, 'http.bin'), Buffer.alloc(SIZE, 'a'));
    const url = new URL(served.serving.urls.http as string);
    const socket = connect(Number(url.port), url.hostname);
    const received = collect(socket);
    socket.write(`GET /http.bin HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
    await until(() => received.text().includes('\r\n\r\n'));
    socket.pause();
    truncateSync(join(dir, 'http.bin'), KEPT);
    socket.resume();
    await received.closed;
    expect(received.text()).toMatch(/content-length: 67108864\r\n/i);
    expect(received.bytes()).toBeLessThan(SIZE);
  }, 120_000);

  it('over FTP: RETR answers 451 with how many bytes the file had, not 226', async () => {
    writeFileSync(join(dir, 'ftp.bin'), Buffer.alloc(SIZE, 'a'));
    const url = new URL(served.serving.urls.ftp as string);
    const control = connect(Number(url.port), url.hostname);
    const replies = collect(control);
    const reply = async (code: number): Promise<void> => {
      await until(() => new RegExp(`^${code} `, 'm').test(replies.text()));
    };
    await reply(220);
    control.write('USER anonymous\r\nPASS x\r\nTYPE I\r\nEPSV\r\n');
    await reply(229);
    const port = Number(/\(\|\|\|(\d+)\|\)/.exec(replies.text())?.[1]);
    const data = connect(port, url.hostname);
    const received = collect(data);
    control.write('RETR ftp.bin\r\n');
    await reply(150);
    data.pause();
    truncateSync(join(dir, 'ftp.bin'), KEPT);
    data.resume();
    await received.closed;
    await reply(451);
    expect(replies.text()).not.toMatch(/^226 /m);
    expect(replies.text()).toMatch(
      /^451 Transfer incomplete: the file ended after \d+ of its 67108864 bytes/m,
    );
    expect(received.bytes()).toBeLessThan(SIZE);
    control.destroy();
  }, 120_000);
});
