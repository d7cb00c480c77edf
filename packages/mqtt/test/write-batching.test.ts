import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { batchWrites } from '../src/write-batching.js';

/** A stand-in for MQTT.js's client: it announces each packet (`packetsend`), then writes it. */
function fakeClient(): { client: MqttClient; send(packet: string): void; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      callback();
    },
  });
  const emitter = Object.assign(new EventEmitter(), { stream });
  const client = emitter as unknown as MqttClient;
  const send = (packet: string): void => {
    emitter.emit('packetsend', { cmd: 'publish' });
    emitter.stream.write(packet);
  };
  return { client, send, writes };
}

/** Resolves after `n` promise reactions, as a handler's reply comes a few microtasks after its request. */
async function microtasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('write batching', () => {
  it('sends a PUBACK and the reply published a few microtasks later in one write', async () => {
    const { client, send, writes } = fakeClient();
    batchWrites(client);
    send('puback');
    await microtasks(10);
    send('reply');
    await nextTurn();
    expect(writes).toEqual([['puback', 'reply']]);
  });

  it('writes before the event loop moves on, not at the end of its turn', async () => {
    const { client, send, writes } = fakeClient();
    batchWrites(client);
    // Queued before the packets: it runs when the event loop has handled the current event.
    const seen = new Promise<string[][]>((resolve) => setImmediate(() => resolve([...writes])));
    send('puback');
    await microtasks(3);
    send('request');
    expect(await seen).toEqual([['puback', 'request']]);
  });

  it('writes packets of separate events separately', async () => {
    const { client, send, writes } = fakeClient();
    batchWrites(client);
    send('first');
    await nextTurn();
    send('second');
    await nextTurn();
    expect(writes).toEqual([['first'], ['second']]);
  });

  it('follows the stream when the client connects anew', async () => {
    const { client, send, writes } = fakeClient();
    batchWrites(client);
    send('old');
    const replaced = fakeClient();
    Object.assign(client, { stream: (replaced.client as unknown as { stream: Writable }).stream });
    send('new');
    await nextTurn();
    expect(writes).toEqual([['old']]);
    expect(replaced.writes).toEqual([['new']]);
  });
});
