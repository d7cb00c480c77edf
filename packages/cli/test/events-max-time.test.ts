import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requirePeers } from '../../../test/support/peer.js';
import { type RawServer, startSilentServer, startTalkingServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, curlExit, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasCurl = requirePeers('curl');

/**
 * An MQTT 5 broker that accepts the connection and every subscription, takes publishes and
 * never acknowledges one (no PUBACK).
 */
function brokerWithoutPuback(): Promise<RawServer> {
  return startTalkingServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        let length = 0;
        let at = 1;
        for (let shift = 0; at < buffered.length; shift += 7) {
          const byte = buffered[at++] as number;
          length += (byte & 0x7f) << shift;
          if ((byte & 0x80) === 0) break;
        }
        if (buffered.length < at + length) return;
        const type = (buffered[0] as number) >> 4;
        const id = buffered.subarray(at, at + 2);
        buffered = buffered.subarray(at + length);
        if (type === 1) socket.write(Buffer.from([0x20, 3, 0, 0, 0]));
        else if (type === 8) socket.write(Buffer.concat([Buffer.from([0x90, 4]), id, Buffer.from([0, 0])]));
        else if (type === 12) socket.write(Buffer.from([0xd0, 0]));
      }
    });
  });
}

describe.runIf(hasCurl)('--max-time ends subscribe and publish with 28, as curl', () => {
  const servers: RawServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('a subscription to a broker that never answers is 28, as curl subscribing there, not success', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const url = `mqtt://127.0.0.1:${silent.port}/files`;
    expect(await curlExit(['-m', '1', `${url}/x`]), 'curl').toBe(28);
    const run = await parley(['-m', '1', 'subscribe', url, '/x']);
    expect(run).toMatchObject({ code: 28, stderr: 'parley: Timed out after 1000 ms\n' });
  });

  it('a publish the broker never acknowledges ends at --max-time with 28, not when the broker lets go', async () => {
    const broker = await brokerWithoutPuback();
    servers.push(broker);
    const run = await parley([
      '-m',
      '1',
      'publish',
      `mqtt://127.0.0.1:${broker.port}/files`,
      '/x',
      '-d',
      'hi',
    ]);
    expect(run).toMatchObject({ code: 28, stderr: 'parley: Timed out after 1000 ms\n' });
  });
});
