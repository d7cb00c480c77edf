import { connect, type Socket } from 'node:net';
import { type Broker, startBroker } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { lengthPrefixed, packet, readPackets, remainingLength } from '../../../test/support/mqtt-packets.js';

const MB = 1024 * 1024;

let broker: Broker | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await broker?.close();
  broker = undefined;
});

/** A connected MQTT 3.1.1 client from `localAddress`, with the types of the packets it got. */
async function connected(
  url: string,
  id: string,
  localAddress = '127.0.0.1',
): Promise<{ socket: Socket; got: number[] }> {
  const { port } = new URL(url);
  const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress });
  socket.on('error', () => {});
  sockets.push(socket);
  const got: number[] = [];
  const connack = new Promise<void>((resolve) =>
    readPackets(socket, (type) => {
      got.push(type);
      if (type === 2) resolve();
    }),
  );
  const body = Buffer.concat([lengthPrefixed('MQTT'), Buffer.from([4, 2, 0, 60]), lengthPrefixed(id)]);
  socket.write(packet(0x10, body));
  await connack;
  return { socket, got };
}

/** The fixed header and topic of a QoS 0 PUBLISH whose payload is `payloadBytes` long. */
function publishHead(payloadBytes: number): Buffer {
  const topic = lengthPrefixed('big');
  return Buffer.concat([Buffer.from([0x30]), remainingLength(topic.length + payloadBytes), topic]);
}

const closed = (socket: Socket): Promise<void> =>
  new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('the embedded broker, packets sent half-way', () => {
  it('closes a connection announcing a large packet once its address has that many bytes half-received', async () => {
    broker = await startBroker({ port: 0, maxBodyBytes: MB, maxReceivingBytesPerAddress: 2.5 * MB });
    const first = await connected(broker.url, 'first');
    const second = await connected(broker.url, 'second');
    const third = await connected(broker.url, 'third');
    // Two packets of 1 MiB, each sent but for its last half: over 2 MiB held for this address.
    for (const { socket } of [first, second])
      socket.write(Buffer.concat([publishHead(MB), Buffer.alloc(MB / 2)]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    third.socket.write(Buffer.concat([publishHead(MB), Buffer.alloc(MB / 2)]));
    await closed(third.socket);
    // The first packet ends: its room is given back and a new packet of that size is taken.
    first.socket.write(Buffer.alloc(MB / 2));
    const fourth = await connected(broker.url, 'fourth');
    const pong = new Promise<void>((resolve) =>
      fourth.socket.on('data', () => {
        if (fourth.got.includes(13)) resolve();
      }),
    );
    fourth.socket.write(Buffer.concat([publishHead(MB), Buffer.alloc(MB), Buffer.from([0xc0, 0])]));
    await pong;
    expect(second.socket.destroyed).toBe(false);
  });

  it('counts every address against the total', async () => {
    broker = await startBroker({ port: 0, maxBodyBytes: 2 * MB, maxReceivingBytes: 2 * MB });
    const here = await connected(broker.url, 'here');
    const elsewhere = await connected(broker.url, 'elsewhere', '127.0.0.2');
    here.socket.write(Buffer.concat([publishHead(1.5 * MB), Buffer.alloc(MB)]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    elsewhere.socket.write(Buffer.concat([publishHead(MB), Buffer.alloc(MB / 2)]));
    await closed(elsewhere.socket);
    expect(here.socket.destroyed).toBe(false);
  });

  it('counts WebSocket messages on the broker WebSocket port the same way, as their frames arrive', async () => {
    broker = await startBroker({
      port: 0,
      wsPort: 0,
      maxBodyBytes: MB,
      maxReceivingBytesPerAddress: 2.5 * MB,
    });
    const [first, second, third] = [await upgraded(broker), await upgraded(broker), await upgraded(broker)];
    for (const socket of [first, second]) socket.write(Buffer.concat([frameHead(MB), Buffer.alloc(MB / 2)]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    third.write(Buffer.concat([frameHead(MB), Buffer.alloc(MB / 2)]));
    await closed(third);
    expect(first.destroyed || second.destroyed).toBe(false);
  });
});

/** A socket upgraded to WebSocket on the broker's WebSocket port. */
async function upgraded(running: Broker): Promise<Socket> {
  const { port } = new URL(running.wsUrl as string);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  sockets.push(socket);
  socket.write(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n',
  );
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return socket;
}

/** The header of a final binary frame from a client (masked) with a payload of `length` bytes. */
function frameHead(length: number): Buffer {
  const head = Buffer.alloc(14);
  head[0] = 0x82;
  head[1] = 0x80 | 127;
  head.writeBigUInt64BE(BigInt(length), 2);
  return head;
}
