import type { Socket } from 'node:net';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

/** An MQTT 5 packet: its first byte, its Remaining Length, its rest. */
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
export function publish(topic: string, payload: string): Buffer {
  const name = Buffer.from(topic);
  const size = Buffer.from([name.length >> 8, name.length & 255]);
  return packet(0x30, Buffer.concat([size, name, Buffer.from([0]), Buffer.from(payload)]));
}

/**
 * Starts a broker of one trick on 127.0.0.1: it accepts the connection and every subscription
 * (QoS 0), answers pings, and answers a subscription to `<prefix>/events/...` with `events`, all
 * at once: a peer that sends exactly what a test wants a subscriber to meet.
 */
export function startEventBroker(prefix: string, events: readonly Buffer[]): Promise<RawServer> {
  return startTalkingServer((socket: Socket) => {
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
          if (body.includes(`${prefix}/events/`)) for (const event of events) socket.write(event);
        } else if (type === 12) socket.write(packet(0xd0, Buffer.alloc(0)));
      }
    });
  });
}
