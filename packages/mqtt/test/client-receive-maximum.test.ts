import { createClient, ParleyError } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { lengthPrefixed, packet, readPackets } from '../../../test/support/mqtt-packets.js';
import { startTalkingServer } from '../../../test/support/raw-server.js';

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** The Receive Maximum (property 0x21) of an MQTT 5 CONNECT's body, if it has one. */
function receiveMaximumOf(connect: Buffer): number | undefined {
  let offset = 2 + connect.readUInt16BE(0) + 4; // protocol name, level, flags, keep-alive
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = connect[offset++] as number;
    length += (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
  }
  const end = offset + length;
  const sizes: Record<number, number> = { 17: 4, 33: 2, 39: 4, 34: 2, 25: 1, 23: 1 };
  while (offset < end) {
    const id = connect[offset++] as number;
    if (id === 0x21) return connect.readUInt16BE(offset);
    const size = sizes[id];
    if (size === undefined) return undefined;
    offset += size;
  }
  return undefined;
}

/** What the hostile broker saw: the CONNECT's Receive Maximum, PUBRECs sent back, a closed connection. */
interface Seen {
  receiveMaximum: number | undefined;
  pubrecs: number;
  closed: Promise<void>;
}

/**
 * A broker that grants every subscription QoS 2 and, once the client publishes a request,
 * sends `flood` QoS 2 messages on its reply topic and never releases one (no PUBREL).
 */
async function floodingBroker(flood: number): Promise<{ port: number; seen: Seen }> {
  let closed: () => void = () => {};
  const seen: Seen = {
    receiveMaximum: undefined,
    pubrecs: 0,
    closed: new Promise((resolve) => {
      closed = resolve;
    }),
  };
  const server = await startTalkingServer((socket) => {
    socket.once('close', () => closed());
    let replyTopic = '';
    let flooded = false;
    readPackets(socket, (type, body) => {
      if (type === 1) {
        seen.receiveMaximum = receiveMaximumOf(body);
        socket.write(packet(0x20, Buffer.from([0, 0, 0])));
      } else if (type === 8) {
        // SUBSCRIBE: id, properties length, then the filter.
        const propertiesLength = body[2] as number;
        const at = 3 + propertiesLength;
        replyTopic ||= body.subarray(at + 2, at + 2 + body.readUInt16BE(at)).toString();
        socket.write(packet(0x90, Buffer.from([body[0] as number, body[1] as number, 0, 2])));
      } else if (type === 3 && !flooded) {
        flooded = true;
        const topic = lengthPrefixed(replyTopic);
        for (let id = 1; id <= flood; id++) {
          const header = Buffer.from([id >> 8, id & 0xff, 0]);
          socket.write(packet(0x34, Buffer.concat([topic, header, Buffer.from('not a reply')])));
        }
      } else if (type === 5) seen.pubrecs++;
    });
  });
  closing.push(server.close);
  return { port: server.port, seen };
}

describe('a broker that sends more unreleased QoS 2 messages than the Receive Maximum', () => {
  it('is told the default Receive Maximum, 100, in CONNECT', async () => {
    const { port, seen } = await floodingBroker(0);
    await using client = createClient(mqtt(`mqtt://127.0.0.1:${port}/svc`, { qos: 2 }), {
      retries: 0,
      timeoutMs: 500,
    });
    await client.get('/a').catch(() => undefined);
    expect(seen.receiveMaximum).toBe(100);
  });

  it('has its connection cut, and the call waiting fails unavailable, naming the limit', async () => {
    const { port, seen } = await floodingBroker(6);
    await using client = createClient(mqtt(`mqtt://127.0.0.1:${port}/svc`, { qos: 2, receiveMaximum: 5 }), {
      retries: 0,
      timeoutMs: 60_000,
    });
    const failure = await client.get('/a').catch((error: unknown) => error);
    expect(seen.receiveMaximum).toBe(5);
    expect(failure).toBeInstanceOf(ParleyError);
    expect(failure).toMatchObject({ status: 'unavailable' });
    expect((failure as ParleyError).message).toMatch(/Receive Maximum of 5/);
    await seen.closed;
    expect(seen.pubrecs).toBeLessThanOrEqual(5);
  });

  it('refuses a Receive Maximum CONNECT cannot carry', () => {
    expect(() => mqtt('mqtt://127.0.0.1:1883/svc', { receiveMaximum: 65_536 })).toThrow(/at most 65535/);
    expect(() => mqtt('mqtt://127.0.0.1:1883/svc', { receiveMaximum: 0 })).toThrow(/receiveMaximum/);
  });
});
