import type { Socket } from 'node:net';
import { lengthPrefixed, packet, readPackets } from '../../../test/support/mqtt-packets.js';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

/** A QoS 0 PUBLISH of MQTT 5, without properties. */
export function publish(topic: string, payload: string): Buffer {
  return packet(0x30, Buffer.concat([lengthPrefixed(topic), Buffer.from([0]), Buffer.from(payload)]));
}

/**
 * Starts a broker of one trick on 127.0.0.1: it accepts the connection and every subscription
 * (QoS 0), answers pings, and answers a subscription to `<prefix>/events/...` with `events`, all
 * at once: a peer that sends exactly what a test wants a subscriber to meet.
 */
export function startEventBroker(prefix: string, events: readonly Buffer[]): Promise<RawServer> {
  return startTalkingServer((socket: Socket) => {
    readPackets(socket, (type, body) => {
      if (type === 1) socket.write(packet(0x20, Buffer.from([0, 0, 0])));
      else if (type === 8) {
        socket.write(packet(0x90, Buffer.from([body[0] as number, body[1] as number, 0, 0])));
        if (body.includes(`${prefix}/events/`)) for (const event of events) socket.write(event);
      } else if (type === 12) socket.write(packet(0xd0, Buffer.alloc(0)));
    });
  });
}
