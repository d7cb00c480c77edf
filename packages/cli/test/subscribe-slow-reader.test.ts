import type { Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';
import { runCli } from '../src/run.js';

vi.setConfig({ testTimeout: 120_000 });

/** How many events the broker publishes at once. */
const EVENTS = 20;

/** An MQTT 5 packet: its first byte, its remaining length, its rest. */
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

/** A QoS 0 PUBLISH of MQTT 5 without properties. */
function publish(topic: string, payload: string): Buffer {
  const name = Buffer.from(topic);
  return packet(
    0x30,
    Buffer.concat([
      Buffer.from([name.length >> 8, name.length & 255]),
      name,
      Buffer.from([0]),
      Buffer.from(payload),
    ]),
  );
}

/** A broker that takes every subscription and answers the one to events with {@link EVENTS} events at once. */
function floodingBroker(socket: Socket): void {
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
        if (!body.includes('files/events/')) continue;
        for (let i = 0; i < EVENTS; i++) socket.write(publish(`files/events/e${i}`, 'x'.repeat(1000)));
      } else if (type === 12) socket.write(packet(0xd0, Buffer.alloc(0)));
    }
  });
}

let broker: RawServer;
beforeAll(async () => {
  broker = await startTalkingServer(floodingBroker);
});
afterAll(() => broker.close());

describe('parley subscribe with a reader slower than the events', () => {
  it('waits for stdout to drain instead of piling events up in it, and still ends on interrupt', async () => {
    const written: string[] = [];
    // A reader that never reads: its first write fills it, and it never drains.
    const stdout = new Writable({
      highWaterMark: 1,
      write: (chunk: Buffer) => written.push(chunk.toString()),
    });
    const stderr = new PassThrough();
    let trace = '';
    stderr.on('data', (chunk: Buffer) => (trace += chunk));
    const stop = new AbortController();
    const code = runCli(['-v', 'subscribe', `mqtt://127.0.0.1:${broker.port}/files`, '/*'], {
      stdout,
      stderr,
      signal: stop.signal,
    });
    // Every event has arrived once the client traced the last one.
    await vi.waitFor(() => expect(trace).toContain(`files/events/e${EVENTS - 1}`), { timeout: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    expect(await code).toBe(0);
    // What stdout holds: the first event's path alone, not every event's.
    expect(stdout.writableLength).toBe('/e0\t'.length);
  });
});
