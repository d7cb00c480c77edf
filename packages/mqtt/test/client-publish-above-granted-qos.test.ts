import { createClient } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { lengthPrefixed, packet, readPackets } from '../../../test/support/mqtt-packets.js';
import { startTalkingServer } from '../../../test/support/raw-server.js';

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** PUBLISH flags of QoS 2: MQTT.js keeps such a message until the broker's PUBREL. */
const QOS_2 = 0x34;

/**
 * A broker that grants every subscription QoS 1, then answers the first subscription to events
 * with a QoS 2 PUBLISH (message id 1, no properties), as one flooding its client would. What
 * the client does next: `pubrec` when it answers it (and keeps the message), `closed` when it
 * cuts the connection.
 */
async function brokerSendingQos2(): Promise<{ port: number; next: Promise<'pubrec' | 'closed'> }> {
  let settle: (what: 'pubrec' | 'closed') => void = () => {};
  const next = new Promise<'pubrec' | 'closed'>((resolve) => {
    settle = resolve;
  });
  const server = await startTalkingServer((socket) => {
    let sent = false;
    readPackets(socket, (type, body) => {
      if (type === 1) socket.write(packet(0x20, Buffer.from([0, 0, 0])));
      else if (type === 8) {
        socket.write(packet(0x90, Buffer.from([body[0] as number, body[1] as number, 0, 1])));
        if (sent || !body.includes('svc/events/')) return;
        sent = true;
        const topic = lengthPrefixed('svc/events/notes/a.txt');
        socket.write(packet(QOS_2, Buffer.concat([topic, Buffer.from([0, 1, 0]), Buffer.from('event')])));
        socket.once('close', () => settle('closed'));
      } else if (type === 5) settle('pubrec');
    });
  });
  closing.push(server.close);
  return { port: server.port, next };
}

describe('a broker that publishes above the QoS the client subscribed with', () => {
  it('has its connection cut at the PUBLISH: no QoS 2 message is kept waiting for a PUBREL', async () => {
    const { port, next } = await brokerSendingQos2();
    const stop = new AbortController();
    await using client = createClient(mqtt(`mqtt://127.0.0.1:${port}/svc`), { retries: 0 });
    const events = client.subscribe('/notes/*', { signal: stop.signal })[Symbol.asyncIterator]();
    void events.next().catch(() => {});
    try {
      expect(await next).toBe('closed');
    } finally {
      stop.abort();
    }
  });
});
