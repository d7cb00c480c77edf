import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, PARLEY } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** An MQTT 5 packet: its first byte, its remaining length (a variable byte integer), its rest. */
function packet(first: number, rest: Buffer): Buffer {
  const length: number[] = [];
  let left = rest.length;
  do {
    let byte = left % 128;
    left = Math.floor(left / 128);
    if (left > 0) byte |= 128;
    length.push(byte);
  } while (left > 0);
  return Buffer.concat([Buffer.from([first, ...length]), rest]);
}

/** A QoS 0 PUBLISH of MQTT 5, without properties. */
function publish(topic: string, payload: string): Buffer {
  const name = Buffer.from(topic);
  const size = Buffer.alloc(2);
  size.writeUInt16BE(name.length);
  return packet(0x30, Buffer.concat([size, name, Buffer.from([0]), Buffer.from(payload)]));
}

/**
 * A broker of one trick: it accepts the connection and every subscription, then publishes to
 * the events subscribed to one event whose topic's %-escapes decode to an escape sequence and a line feed.
 */
function hostileBroker(socket: Socket): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      let length = 0;
      let at = 1;
      for (let shift = 0; at < buffered.length; shift += 7) {
        const byte = buffered[at++] as number;
        length += (byte & 127) << shift;
        if ((byte & 128) === 0) break;
      }
      if (buffered.length < 2 || buffered.length < at + length) return;
      const type = (buffered[0] as number) >> 4;
      const body = buffered.subarray(at, at + length);
      buffered = buffered.subarray(at + length);
      if (type === 1) socket.write(packet(0x20, Buffer.from([0, 0, 0])));
      else if (type === 8) {
        socket.write(packet(0x90, Buffer.from([body[0] as number, body[1] as number, 0, 0])));
        if (body.includes('files/events/'))
          socket.write(publish('files/events/notes/a%1b%5d0;owned%07%1b%5b2J%0afake.txt', 'body'));
      } else if (type === 12) socket.write(packet(0xd0, Buffer.alloc(0)));
    }
  });
}

let broker: RawServer;
beforeAll(async () => {
  broker = await startTalkingServer(hostileBroker);
});
afterAll(() => broker.close());

describe('parley subscribe', () => {
  it("shows control characters of an event's path as text: no escape sequence, no forged line", async () => {
    const child = spawn(process.execPath, [
      ...PARLEY,
      'subscribe',
      `mqtt://127.0.0.1:${broker.port}/files`,
      '/*',
    ]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(stdout).toContain('\tbody\n'), { timeout: 120_000, interval: 100 });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toBe('/notes/a\\x1b]0;owned\\x07\\x1b[2J\\x0afake.txt\tbody\n');
  });
});
